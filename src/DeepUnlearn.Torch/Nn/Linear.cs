namespace DeepUnlearn.Torch.Nn;

/// <summary>y = x·Wᵀ + b, with W of shape [out, in] (torch.nn.Linear).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, Generator? generator = null)
    {
        System.ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        System.ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outFeatures])) : null;
        Init.DefaultLayer(Weight, Bias, generator);
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// Called with the input at the start of <see cref="Forward"/>; null (the default) for none. For methods
    /// that need a layer's inputs, such as gradient-projection unlearning, which collects their covariance.
    /// The tensor is borrowed: do not dispose or modify it. A hook is transient state, not part of the module:
    /// <see cref="Module.DeepCopy"/> shares the delegate with the copy, so whoever sets a hook clears it when done.
    /// </summary>
    public System.Action<Tensor>? ForwardPreHook { get; set; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ForwardPreHook?.Invoke(input);
        return Functional.Linear(input, Weight, Bias);
    }
}
