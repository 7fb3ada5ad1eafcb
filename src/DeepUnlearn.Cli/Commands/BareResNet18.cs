using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// ResNet-18 with the CIFAR stem (3×3 stride-1 conv1, no max-pool) as a TorchSharp user would write it, for
/// <c>bench engine</c>'s bare loop: torchvision's state-dict names, plain TorchSharp calls, intermediates left to the
/// step's dispose scope.
/// </summary>
internal sealed class BareResNet18 : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Sequential[] _layers = new Sequential[4];
    private readonly Linear _fc;

    public BareResNet18(int inChannels, int numClasses)
        : base(nameof(BareResNet18))
    {
        _conv1 = nn.Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(64);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        int inPlanes = 64;
        for (int s = 0; s < 4; s++)
        {
            int planes = 64 << s;
            int stride = s == 0 ? 1 : 2;
            _layers[s] = nn.Sequential(new Block(inPlanes, planes, stride), new Block(planes, planes, 1));
            register_module($"layer{s + 1}", _layers[s]);
            inPlanes = planes;
        }
        _fc = nn.Linear(512, numClasses);
        register_module("fc", _fc);
    }

    public override Tensor forward(Tensor input)
    {
        Tensor x = nn.functional.relu(_bn1.call(_conv1.call(input)));
        foreach (Sequential layer in _layers)
        {
            x = layer.call(x);
        }
        return _fc.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
    }

    protected override void RegisterComponents()
    {
    }

    /// <summary>torchvision's BasicBlock.</summary>
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _bn1;
        private readonly Conv2d _conv2;
        private readonly BatchNorm2d _bn2;
        private readonly Sequential? _downsample;

        public Block(int inPlanes, int planes, int stride)
            : base("BasicBlock")
        {
            _conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            _bn1 = nn.BatchNorm2d(planes);
            _conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
            _bn2 = nn.BatchNorm2d(planes);
            register_module("conv1", _conv1);
            register_module("bn1", _bn1);
            register_module("conv2", _conv2);
            register_module("bn2", _bn2);
            if (stride != 1 || inPlanes != planes)
            {
                _downsample = nn.Sequential(nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false), nn.BatchNorm2d(planes));
                register_module("downsample", _downsample);
            }
        }

        public override Tensor forward(Tensor input)
        {
            Tensor output = nn.functional.relu(_bn1.call(_conv1.call(input)));
            output = _bn2.call(_conv2.call(output));
            Tensor identity = _downsample is null ? input : _downsample.call(input);
            return nn.functional.relu(output + identity);
        }

        protected override void RegisterComponents()
        {
        }
    }
}
