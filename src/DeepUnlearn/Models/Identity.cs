using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Models;

/// <summary>Returns its input (torch.nn.Identity): holds a position in a <see cref="Sequential"/> so that the
/// indices of the following layers, and hence their state-dict names, match the reference code.</summary>
internal sealed class Identity : Module
{
    public override Tensor Forward(Tensor input) => input;
}
