using System.Collections.Generic;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// What a model's outputs on the forget set say beyond UA and SalUn's MIA: ZRF, the class MIA, the shapes of its
/// confidence and entropy distributions on D_f (and their distances to the retrained model's), per-class test accuracy,
/// and the ROC curve of SalUn's MIA feature. Computed from the predictions the evaluation already has, plus one pass of
/// a random model over D_f for ZRF.
/// </summary>
public sealed record OutputEvidence
{
    /// <summary>ZRF (<see cref="ZeroRetrainForgetting"/>): 1 − mean JS (bits) to a random model on D_f; 1 = random answers.</summary>
    public double? Zrf { get; init; }

    /// <summary>The class MIA (<see cref="ClassMembershipInference"/>) on class-wise requests; null otherwise.</summary>
    public ProbeResult? ClassMia { get; init; }

    /// <summary>The remaining class the class MIA tests the forgotten classes against.</summary>
    public int? ClassMiaNeighbour { get; init; }

    /// <summary>Histogram of the max-softmax confidence on D_f over [0, 1].</summary>
    public required Histogram ForgetConfidence { get; init; }

    /// <summary>Histogram of the predictive entropy (nats) on D_f over [0, ln K].</summary>
    public required Histogram ForgetEntropy { get; init; }

    /// <summary>Total-variation distance between this model's and the retrained model's D_f confidence histograms.</summary>
    public double? ConfidenceTv { get; init; }

    /// <summary>Wasserstein-1 distance between this model's and the retrained model's D_f confidences (bin-free).</summary>
    public double? ConfidenceW1 { get; init; }

    /// <summary>Total-variation distance between the D_f entropy histograms of this model and the retrained one.</summary>
    public double? EntropyTv { get; init; }

    /// <summary>Wasserstein-1 distance (nats) between the D_f entropies of this model and the retrained one.</summary>
    public double? EntropyW1 { get; init; }

    /// <summary>Test accuracy per class (percent; every class, the forgotten ones included), indexed by label.</summary>
    public IReadOnlyList<double> PerClassTestAccuracy { get; init; } = [];

    /// <summary>
    /// ROC of SalUn's MIA feature (the true-class confidence) as a score telling D_f (members of the original training
    /// set) from unseen test samples of the same classes: at the diagonal, the forget samples look unseen.
    /// </summary>
    public RocCurve? MiaRoc { get; init; }
}
