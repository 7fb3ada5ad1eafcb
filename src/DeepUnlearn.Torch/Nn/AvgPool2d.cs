namespace DeepUnlearn.Torch.Nn;

/// <summary>2-D average pooling (torch.nn.AvgPool2d); stride defaults to the kernel size.</summary>
public sealed class AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true) : Module
{
    /// <summary>Kernel size.</summary>
    public long KernelSize { get; } = kernelSize;

    /// <summary>Stride.</summary>
    public long Stride { get; } = stride ?? kernelSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, padding, ceilMode, countIncludePad);
}
