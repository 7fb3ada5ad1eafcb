using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Evaluation;

namespace DeepUnlearn.Reporting;

/// <summary>A method's <see cref="OutputEvidence"/> over its seeds (mean ± std of each number).</summary>
public sealed record OutputSummary
{
    /// <summary>ZRF (1 = D_f answered like a random model).</summary>
    public Stat? Zrf { get; init; }

    /// <summary>Class-MIA held-out AUC (class-wise requests).</summary>
    public Stat? ClassMiaAuc { get; init; }

    /// <summary>Class-MIA held-out balanced accuracy, percent.</summary>
    public Stat? ClassMiaAccuracy { get; init; }

    /// <summary>Total variation between the D_f confidence histograms of the method and the retrained model.</summary>
    public Stat? ConfidenceTv { get; init; }

    /// <summary>Wasserstein-1 between the D_f confidences of the method and the retrained model.</summary>
    public Stat? ConfidenceW1 { get; init; }

    /// <summary>Total variation between the D_f entropy histograms.</summary>
    public Stat? EntropyTv { get; init; }

    /// <summary>Wasserstein-1 between the D_f entropies (nats).</summary>
    public Stat? EntropyW1 { get; init; }

    /// <summary>AUC of SalUn's MIA feature telling D_f from unseen samples of the same classes (0.5 = looks unseen).</summary>
    public Stat? MiaFeatureAuc { get; init; }

    /// <summary>The summary of <paramref name="runs"/>; null when none carries <see cref="UnlearningMetrics.Outputs"/>.</summary>
    public static OutputSummary? Of(IReadOnlyList<UnlearningMetrics> runs)
    {
        OutputEvidence[] o = runs.Select(r => r.Outputs).OfType<OutputEvidence>().ToArray();
        if (o.Length == 0)
        {
            return null;
        }
        return new OutputSummary
        {
            Zrf = Stat.Of(o.Select(x => x.Zrf)),
            ClassMiaAuc = Stat.Of(o.Select(x => x.ClassMia?.Auc)),
            ClassMiaAccuracy = Stat.Of(o.Select(x => x.ClassMia?.AccuracyPercent)),
            ConfidenceTv = Stat.Of(o.Select(x => x.ConfidenceTv)),
            ConfidenceW1 = Stat.Of(o.Select(x => x.ConfidenceW1)),
            EntropyTv = Stat.Of(o.Select(x => x.EntropyTv)),
            EntropyW1 = Stat.Of(o.Select(x => x.EntropyW1)),
            MiaFeatureAuc = Stat.Of(o.Select(x => x.MiaRoc?.Auc)),
        };
    }
}
