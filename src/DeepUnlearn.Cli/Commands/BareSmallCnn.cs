using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// The zoo's smallcnn as a TorchSharp user would write it, for <c>bench engine</c>'s bare loop: the same layers and
/// state-dict names (conv1, bn1, conv2, bn2, fc1, fc2), plain TorchSharp calls, no intermediate released before the
/// step's dispose scope ends.
/// </summary>
internal sealed class BareSmallCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    public BareSmallCnn(int inChannels, int numClasses, int imageSize)
        : base(nameof(BareSmallCnn))
    {
        long pooled = imageSize / 2 / 2;
        _conv1 = nn.Conv2d(inChannels, 32, 3, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(32);
        _conv2 = nn.Conv2d(32, 64, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(64);
        _fc1 = nn.Linear(64 * pooled * pooled, 128);
        _fc2 = nn.Linear(128, numClasses);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    public override Tensor forward(Tensor input)
    {
        Tensor x = nn.functional.max_pool2d(nn.functional.relu(_bn1.call(_conv1.call(input))), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(_bn2.call(_conv2.call(x))), 2);
        x = nn.functional.relu(_fc1.call(x.flatten(1)));
        return _fc2.call(x);
    }

    // Registered explicitly above under torchvision's names.
    protected override void RegisterComponents()
    {
    }
}
