using System;

namespace DeepUnlearn.Torch.Nn;

/// <summary>2-D convolution with weight [out, in/groups, k, k] (torch.nn.Conv2d, square kernels).</summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"in ({inChannels}) and out ({outChannels}) channels must both be divisible by groups ({groups})", nameof(groups));
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize, kernelSize]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outChannels])) : null;
        Init.DefaultLayer(Weight, Bias, generator);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public long KernelSize { get; }

    /// <summary>Stride in both dims.</summary>
    public long Stride { get; }

    /// <summary>Zero padding in both dims.</summary>
    public long Padding { get; }

    /// <summary>Dilation in both dims.</summary>
    public long Dilation { get; }

    /// <summary>Channel groups.</summary>
    public long Groups { get; }

    /// <summary>The weight [out, in/groups, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// Called with the input at the start of <see cref="Forward"/>; null (the default) for none. For methods
    /// that need a layer's inputs, such as gradient-projection unlearning, which collects their covariance.
    /// The tensor is borrowed: do not dispose or modify it. A hook is transient state, not part of the module:
    /// <see cref="Module.DeepCopy"/> shares the delegate with the copy, so whoever sets a hook clears it when done.
    /// </summary>
    public Action<Tensor>? ForwardPreHook { get; set; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ForwardPreHook?.Invoke(input);
        return Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
    }
}
