using System;
using System.Globalization;
using DeepUnlearn.Torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>
/// A Linear classification head trained on fixed feature vectors [N, D] extracted once from a frozen
/// vision model: softmax regression on the features, so DeltaGrad applies to the head of any network
/// whose backbone is not retrained. The identity names the feature extractor, so a trajectory recorded
/// on one backbone's features is refused for another's.
/// </summary>
public sealed class FrozenFeatureHead : MultinomialLogisticRegression
{
    /// <summary>Creates the head for <paramref name="featureSource"/> (e.g. <c>resnet18/avgpool@cifar10</c>).</summary>
    public FrozenFeatureHead(string featureSource, long featureDimension, long classes, DType dtype = DType.Float32, Device? device = null, ulong seed = 0)
        : base(featureDimension, classes, dtype, device, seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSource);
        FeatureSource = featureSource;
    }

    /// <summary>The frozen model (and layer) the features come from.</summary>
    public string FeatureSource { get; }

    /// <inheritdoc />
    public override string Identity =>
        string.Create(CultureInfo.InvariantCulture, $"linear-head[{FeatureSource}]({InputFeatures}→{Classes})");
}
