using System;
using System.Globalization;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>
/// The DeltaGrad paper's two-layer network: D → hidden (300 in the paper) with a sigmoid (or ReLU) →
/// K logits. The flat vector is fc1.weight [H, D], fc1.bias [H], fc2.weight [K, H], fc2.bias [K];
/// gradients come from autograd.
/// </summary>
public sealed class TwoLayerPerceptron : FlatModel
{
    /// <summary>The paper's hidden width.</summary>
    public const long PaperHiddenUnits = 300;

    /// <summary>Creates the network with PyTorch's default Linear initialisation drawn from <paramref name="seed"/>.</summary>
    public TwoLayerPerceptron(
        long inputFeatures,
        long classes,
        long hiddenUnits = PaperHiddenUnits,
        HiddenActivation activation = HiddenActivation.Sigmoid,
        DType dtype = DType.Float32,
        Device? device = null,
        ulong seed = 0)
        : base(Count(inputFeatures, hiddenUnits, classes), inputFeatures, classes, dtype, device ?? Device.Cpu)
    {
        HiddenUnits = hiddenUnits;
        Activation = activation;
        using var scope = TensorScope.Begin();
        using var generator = new Generator(seed);
        Tensor flat = Tensor.Zeros([ParameterCount], dtype);
        InitializeLinearBlock(flat, 0, hiddenUnits, inputFeatures, generator);
        InitializeLinearBlock(flat, (hiddenUnits * inputFeatures) + hiddenUnits, classes, hiddenUnits, generator);
        LoadInitialParameters(flat);
    }

    /// <summary>H, the hidden width.</summary>
    public long HiddenUnits { get; }

    /// <summary>The hidden nonlinearity.</summary>
    public HiddenActivation Activation { get; }

    /// <inheritdoc />
    public override string Identity => string.Create(
        CultureInfo.InvariantCulture,
        $"mlp({InputFeatures}→{HiddenUnits} {Activation.ToString().ToLowerInvariant()}→{Classes})");

    /// <inheritdoc />
    protected override Tensor LogitsAt(Tensor w, Tensor inputs)
    {
        using var scope = TensorScope.Begin();
        long d = InputFeatures;
        long h = HiddenUnits;
        long k = Classes;
        long at = 0;
        Tensor w1 = w.Narrow(0, at, h * d).View(h, d);
        at += h * d;
        Tensor b1 = w.Narrow(0, at, h);
        at += h;
        Tensor w2 = w.Narrow(0, at, k * h).View(k, h);
        at += k * h;
        Tensor b2 = w.Narrow(0, at, k);
        Tensor pre = Functional.Linear(inputs, w1, b1);
        Tensor hidden = Activation == HiddenActivation.Sigmoid ? pre.Sigmoid() : pre.Relu();
        return scope.Keep(Functional.Linear(hidden, w2, b2));
    }

    private static long Count(long inputFeatures, long hiddenUnits, long classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        return (hiddenUnits * inputFeatures) + hiddenUnits + (classes * hiddenUnits) + classes;
    }
}
