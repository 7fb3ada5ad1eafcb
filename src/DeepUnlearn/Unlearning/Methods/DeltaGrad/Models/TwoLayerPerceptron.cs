using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

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
        ScalarType dtype = ScalarType.Float32,
        Device? device = null,
        ulong seed = 0)
        : base(Count(inputFeatures, hiddenUnits, classes), inputFeatures, classes, dtype, device ?? torch.CPU)
    {
        HiddenUnits = hiddenUnits;
        Activation = activation;
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(seed);
        Tensor flat = torch.zeros([ParameterCount], dtype);
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
        using var scope = torch.NewDisposeScope();
        long d = InputFeatures;
        long h = HiddenUnits;
        long k = Classes;
        long at = 0;
        Tensor w1 = w.narrow(0, at, h * d).view(h, d);
        at += h * d;
        Tensor b1 = w.narrow(0, at, h);
        at += h;
        Tensor w2 = w.narrow(0, at, k * h).view(k, h);
        at += k * h;
        Tensor b2 = w.narrow(0, at, k);
        Tensor pre = torch.nn.functional.linear(inputs, w1, b1);
        Tensor hidden = Activation == HiddenActivation.Sigmoid ? pre.sigmoid() : pre.relu();
        return torch.nn.functional.linear(hidden, w2, b2).MoveToOuterDisposeScope();
    }

    private static long Count(long inputFeatures, long hiddenUnits, long classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        return (hiddenUnits * inputFeatures) + hiddenUnits + (classes * hiddenUnits) + classes;
    }
}
