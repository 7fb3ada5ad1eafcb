namespace DeepUnlearn.Torch.Nn;

/// <summary>Merges dims start..end (torch.nn.Flatten; by default everything but the batch dim).</summary>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}
