using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The offline U-LiRA attack on one method, pooled over its seeds: positives are (unlearned model, forget example)
/// pairs, negatives (held-out retrained model, the same example) pairs, each scored by <see cref="GaussianLikelihood"/>
/// against K other retrained models. AUC 0.5 = the method's outputs cannot be told from retraining's, example by example.
/// </summary>
public sealed record ULiraResult
{
    /// <summary>The method label (or "do nothing").</summary>
    public required string Method { get; init; }

    /// <summary>The seeds pooled.</summary>
    public required IReadOnlyList<ulong> Seeds { get; init; }

    /// <summary>Reference models per target (K).</summary>
    public required int ReferenceModels { get; init; }

    /// <summary>ROC AUC (0.5 = chance).</summary>
    public required double Auc { get; init; }

    /// <summary>TPR at FPR &lt; 1% (LiRA's low-FPR reading).</summary>
    public required double TprAt1PercentFpr { get; init; }

    /// <summary>TPR at FPR &lt; 0.1%.</summary>
    public required double TprAt01PercentFpr { get; init; }

    /// <summary>Positive pairs scored.</summary>
    public required int Positives { get; init; }

    /// <summary>Negative pairs scored.</summary>
    public required int Negatives { get; init; }

    /// <summary>False positives a point below 0.1% FPR may have (⌈0.001 · negatives⌉ − 1): what that TPR rests on.</summary>
    public required int FalsePositivesAt01Percent { get; init; }

    /// <summary>The ROC curve, thinned to at most 200 points log-spaced in FPR.</summary>
    public required double[] RocFpr { get; init; }

    /// <summary>TPRs of <see cref="RocFpr"/>.</summary>
    public required double[] RocTpr { get; init; }

    /// <summary>The membership scores of the positive pairs (for charts; in attacks.json, not compare.json).</summary>
    [JsonIgnore]
    public double[] PositiveScores { get; init; } = [];

    /// <summary>The membership scores of the negative pairs.</summary>
    [JsonIgnore]
    public double[] NegativeScores { get; init; } = [];

    /// <summary>
    /// The result of <paramref name="method"/> from its pooled membership scores (higher = member): the ROC, its AUC,
    /// the low-FPR readings and a thinned curve. Pooling scores of several seeds (or of several forget sets, each
    /// scored against its own references) is how both <see cref="PerExampleAttacks"/> and a sweep's merge pool them.
    /// </summary>
    public static ULiraResult FromScores(string method, IReadOnlyList<ulong> seeds, int referenceModels, double[] positives, double[] negatives)
    {
        System.ArgumentNullException.ThrowIfNull(positives);
        System.ArgumentNullException.ThrowIfNull(negatives);
        RocCurve roc = RocCurve.From(positives, negatives);
        var (fpr, tpr) = roc.Thinned();
        return new ULiraResult
        {
            Method = method,
            Seeds = seeds,
            ReferenceModels = referenceModels,
            Auc = roc.Auc,
            TprAt1PercentFpr = roc.TprAtFpr(0.01),
            TprAt01PercentFpr = roc.TprAtFpr(0.001),
            Positives = roc.Positives,
            Negatives = roc.Negatives,
            FalsePositivesAt01Percent = roc.FalsePositivesBelow(0.001),
            RocFpr = fpr,
            RocTpr = tpr,
            PositiveScores = positives,
            NegativeScores = negatives,
        };
    }
}
