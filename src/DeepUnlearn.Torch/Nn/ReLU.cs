namespace DeepUnlearn.Torch.Nn;

/// <summary>max(x, 0) (torch.nn.ReLU).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();
}
