using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// An image classifier split the way unlearning methods need it: a feature extractor
/// (<see cref="Features"/>, the penultimate representation) and a final linear layer (<see cref="Head"/>,
/// registered as <see cref="HeadName"/>). <see cref="Forward"/> is <c>Head(Features(x))</c>.
/// Input is [N, C, H, W]; output is logits [N, K].
/// </summary>
public abstract class ClassifierModel : Module
{
    /// <summary>The penultimate representation [N, D] of a batch [N, C, H, W] (everything but the head).</summary>
    public abstract Tensor Features(Tensor input);

    /// <summary>The final linear layer mapping features [N, D] to logits [N, K].</summary>
    public abstract Linear Head { get; }

    /// <summary>The dotted name of <see cref="Head"/> in the state dict (<c>fc</c>, <c>classifier.6</c>, ...).</summary>
    public abstract string HeadName { get; }

    /// <summary>The width D of <see cref="Features"/>.</summary>
    public long FeatureDim => Head.InFeatures;

    /// <summary>The number of classes K.</summary>
    public long NumClasses => Head.OutFeatures;

    /// <summary>How to rebuild this model (set by <see cref="ModelRegistry"/>; null for models built directly).</summary>
    public ModelSpec? Spec { get; internal set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = Features(input);
        return Head.call(features);
    }

    /// <summary>An independent copy with the same structure, values, mode and <see cref="Spec"/>.</summary>
    public new ClassifierModel DeepCopy() => (ClassifierModel)base.DeepCopy();

    /// <summary>
    /// Runs the layers of <paramref name="layers"/> in order, releasing each intermediate result as soon as
    /// the next layer has consumed it (autograd keeps what it needs), so a forward pass does not leave one
    /// live tensor per layer in the caller's scope. Nested <see cref="Sequential"/>s are run the same way.
    /// Never disposes <paramref name="input"/>.
    /// </summary>
    protected internal static Tensor RunSequential(Sequential layers, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            Tensor y = layers[i] is Sequential inner ? RunSequential(inner, x) : layers[i].call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y))
            {
                x.Dispose();
            }
            x = y;
        }
        return x;
    }

    /// <summary>Applies <paramref name="layer"/> to <paramref name="x"/> and disposes <paramref name="x"/> (an intermediate).</summary>
    protected internal static Tensor Then(Tensor x, Module layer)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(layer);
        Tensor y = layer.call(x);
        if (!ReferenceEquals(x, y))
        {
            x.Dispose();
        }
        return y;
    }
}
