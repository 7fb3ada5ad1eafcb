using System;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// Multinomial logistic regression as a <see cref="ClassifierModel"/>: the features are the flattened pixels
/// and the head is the whole model, so objectives over it can be solved and differentiated by hand in tests.
/// </summary>
internal sealed class SoftmaxRegression : ClassifierModel
{
    public SoftmaxRegression(int inputs, int classes, Generator? generator = null)
    {
        Fc = RegisterModule("fc", new Linear(inputs, classes, generator: generator));
    }

    public Linear Fc { get; }

    public override Linear Head => Fc;

    public override string HeadName => "fc";

    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.flatten(1);
    }
}
