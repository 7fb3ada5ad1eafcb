using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>Returns its input (torch.nn.Identity): holds a position in a <see cref="Sequential"/> so that the
/// indices of the following layers, and hence their state-dict names, match the reference code.</summary>
internal sealed class Identity : Module
{
    public override Tensor forward(Tensor input) => input;
}
