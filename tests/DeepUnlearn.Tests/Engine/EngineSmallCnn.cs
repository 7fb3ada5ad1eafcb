using TorchSharp;
using TorchSharp.Modules;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// The zoo's SmallCnn written as a TorchSharp module for the engine tests (same layers and state-dict names:
/// conv3×3(32, no bias)-BN-ReLU-maxpool2, conv3×3(64, no bias)-BN-ReLU-maxpool2, flatten, fc1 (128)-ReLU, fc2 (K)).
/// Children are invoked with call(), so hooks fire.
/// </summary>
internal sealed class EngineSmallCnn : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    public EngineSmallCnn(int inChannels, int numClasses, int imageSize)
        : base("SmallCnn")
    {
        long pooled = imageSize / 2 / 2;
        _conv1 = torch.nn.Conv2d(inChannels, 32, 3, padding: 1, bias: false);
        _bn1 = torch.nn.BatchNorm2d(32);
        _conv2 = torch.nn.Conv2d(32, 64, 3, padding: 1, bias: false);
        _bn2 = torch.nn.BatchNorm2d(64);
        _fc1 = torch.nn.Linear(64 * pooled * pooled, 128);
        _fc2 = torch.nn.Linear(128, numClasses);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    public override torch.Tensor forward(torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor x = torch.nn.functional.max_pool2d(torch.nn.functional.relu(_bn1.call(_conv1.call(input))), 2);
        x = torch.nn.functional.max_pool2d(torch.nn.functional.relu(_bn2.call(_conv2.call(x))), 2);
        x = torch.nn.functional.relu(_fc1.call(x.flatten(1)));
        return _fc2.call(x).MoveToOuterDisposeScope();
    }
}
