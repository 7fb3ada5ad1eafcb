namespace DeepUnlearn.Torch.Nn;

/// <summary>2-D max pooling (torch.nn.MaxPool2d); stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) : Module
{
    /// <summary>Kernel size.</summary>
    public long KernelSize { get; } = kernelSize;

    /// <summary>Stride.</summary>
    public long Stride { get; } = stride ?? kernelSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, padding, dilation, ceilMode);
}
