using System;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// Multinomial logistic regression as a <see cref="ClassifierModel"/>: the features are the flattened pixels
/// and the head is the whole model, so objectives over it can be solved and differentiated by hand in tests.
/// </summary>
internal sealed class SoftmaxRegression : ClassifierModel
{
    private readonly int _inputs;
    private readonly int _classes;

    /// <summary>The model, initialised as PyTorch's Linear from <paramref name="seed"/> (none: TorchSharp's global RNG).</summary>
    public SoftmaxRegression(int inputs, int classes, ulong? seed = null)
        : base(nameof(SoftmaxRegression))
    {
        _inputs = inputs;
        _classes = classes;
        Fc = nn.Linear(inputs, classes);
        register_module("fc", Fc);
        if (seed is ulong s)
        {
            SeededInitializer.Initialize(this, s, InitRules.PyTorchDefault);
        }
    }

    public Linear Fc { get; }

    public override Linear Head => Fc;

    public override string HeadName => "fc";

    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.flatten(1);
    }

    // No ModelSpec: DeepCopy rebuilds the architecture here and copies the state into it.
    protected override ClassifierModel CreateSibling() => new SoftmaxRegression(_inputs, _classes);
}
