using System;
using System.Globalization;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
    public FrozenFeatureHead(string featureSource, long featureDimension, long classes, ScalarType dtype = ScalarType.Float32, Device? device = null, ulong seed = 0)
        : base(featureDimension, classes, dtype, device, seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSource);
        FeatureSource = featureSource;
    }

    /// <summary>The frozen model (and layer) the features come from.</summary>
    public string FeatureSource { get; }

    /// <summary>
    /// The penultimate features [N, D] of <paramref name="images"/> [N, C, H, W] under
    /// <paramref name="model"/> (in evaluation mode, without autograd), computed in batches of
    /// <paramref name="batchSize"/>; the result lives on the model's device.
    /// </summary>
    public static Tensor ExtractFeatures(ClassifierModel model, Tensor images, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using (torch.no_grad())
            {
                long n = images.size(0);
                var chunks = new Tensor[(int)((n + batchSize - 1) / batchSize)];
                for (int i = 0; i < chunks.Length; i++)
                {
                    long start = (long)i * batchSize;
                    chunks[i] = model.Features(images.narrow(0, start, Math.Min(batchSize, n - start)).to(model.Device));
                }
                return torch.cat(chunks).MoveToOuterDisposeScope();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Copies a Linear layer's weight [K, D] and bias [K] into this head (e.g. the trained head of a classifier).</summary>
    public void LoadFrom(Linear head)
    {
        ArgumentNullException.ThrowIfNull(head);
        CheckShape(head);
        using var scope = torch.NewDisposeScope();
        Tensor bias = head.bias ?? torch.zeros([Classes], ScalarType, Device);
        SetParameters(torch.cat([head.weight!.detach().flatten().to(ScalarType, Device), bias.detach().to(ScalarType, Device)]));
    }

    /// <summary>Writes this head's parameters into a Linear layer, e.g. to put the unlearned head back into the classifier.</summary>
    public void CopyTo(Linear head)
    {
        ArgumentNullException.ThrowIfNull(head);
        CheckShape(head);
        if (head.bias is null)
        {
            throw new ArgumentException("the Linear layer has no bias to receive the head's bias", nameof(head));
        }
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            long weights = Classes * InputFeatures;
            head.weight!.copy_(Parameters.narrow(0, 0, weights).view(Classes, InputFeatures));
            head.bias.copy_(Parameters.narrow(0, weights, Classes));
        }
    }

    /// <inheritdoc />
    public override string Identity =>
        string.Create(CultureInfo.InvariantCulture, $"linear-head[{FeatureSource}]({InputFeatures}→{Classes})");

    private void CheckShape(Linear head)
    {
        if (head.in_features != InputFeatures || head.out_features != Classes)
        {
            throw new ArgumentException(
                $"the Linear layer maps {head.in_features}→{head.out_features}; this head maps {InputFeatures}→{Classes}", nameof(head));
        }
    }
}
