namespace DeepUnlearn.Torch.Nn;

/// <summary>Average pooling to a fixed (h, w) output (torch.nn.AdaptiveAvgPool2d).</summary>
public sealed class AdaptiveAvgPool2d(long outputH, long outputW) : Module
{
    /// <summary>Pooling to a square output.</summary>
    public AdaptiveAvgPool2d(long outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputH, outputW);
}
