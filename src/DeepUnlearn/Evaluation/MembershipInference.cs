using System;
using DeepUnlearn.Evaluation.Svm;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Membership-inference attacks used to audit forgetting, computed as the SalUn / Unlearn-Sparse code
/// does (evaluation/SVC_MIA.py): an attack model learns to tell members (retain samples) from
/// non-members (test samples) by a per-sample feature of the model's output, then classifies the forget
/// samples. MIA-efficacy is the share of forget samples it calls non-members: high means forgotten.
/// </summary>
public static class MembershipInference
{
    /// <summary>SalUn's SVC penalty.</summary>
    public const double SvcC = 3;

    /// <summary>
    /// MIA-efficacy (percent) of SalUn's "confidence" attack: an RBF SVC (C = 3, gamma = 1/n_features = 1)
    /// trained on the true-class confidence of shadow members (label 1) and shadow non-members (label 0);
    /// returns 100 × the share of <paramref name="forgetConfidence"/> predicted as non-members.
    /// </summary>
    /// <param name="memberConfidence">softmax probability of the true class on retain samples (SalUn uses the first |test| retain samples).</param>
    /// <param name="nonMemberConfidence">The same on the test set.</param>
    /// <param name="forgetConfidence">The same on the forget set.</param>
    public static double SvcEfficacyPercent(ReadOnlySpan<double> memberConfidence, ReadOnlySpan<double> nonMemberConfidence, ReadOnlySpan<double> forgetConfidence)
    {
        if (forgetConfidence.IsEmpty)
        {
            throw new ArgumentException("the MIA needs at least one forget sample", nameof(forgetConfidence));
        }
        return SvcAttackPercent(memberConfidence, nonMemberConfidence, [], forgetConfidence);
    }

    /// <summary>
    /// SalUn's <c>SVC_fit_predict</c>: trains the SVC on shadow members (1) and non-members (0), then
    /// averages the share of <paramref name="targetMembers"/> called members and the share of
    /// <paramref name="targetNonMembers"/> called non-members (either target set may be empty), in percent.
    /// With both targets given this is the attack's balanced accuracy: 50 means it cannot tell them apart.
    /// </summary>
    public static double SvcAttackPercent(ReadOnlySpan<double> memberConfidence, ReadOnlySpan<double> nonMemberConfidence, ReadOnlySpan<double> targetMembers, ReadOnlySpan<double> targetNonMembers)
    {
        if (memberConfidence.IsEmpty || nonMemberConfidence.IsEmpty)
        {
            throw new ArgumentException("the MIA needs both member (retain) and non-member (test) samples");
        }
        if (targetMembers.IsEmpty && targetNonMembers.IsEmpty)
        {
            throw new ArgumentException("the MIA needs at least one target sample");
        }
        var features = new double[memberConfidence.Length + nonMemberConfidence.Length];
        var labels = new int[features.Length];
        memberConfidence.CopyTo(features);
        nonMemberConfidence.CopyTo(features.AsSpan(memberConfidence.Length));
        labels.AsSpan(0, memberConfidence.Length).Fill(1);
        var targets = new double[targetMembers.Length + targetNonMembers.Length];
        targetMembers.CopyTo(targets);
        targetNonMembers.CopyTo(targets.AsSpan(targetMembers.Length));
        var (predicted, _) = RbfSvc.FitPredict(features, labels, targets, featureCount: 1, c: SvcC);

        double sum = 0;
        int parts = 0;
        if (!targetMembers.IsEmpty)
        {
            sum += Share(predicted.AsSpan(0, targetMembers.Length), 1);
            parts++;
        }
        if (!targetNonMembers.IsEmpty)
        {
            sum += Share(predicted.AsSpan(targetMembers.Length), 0);
            parts++;
        }
        return 100.0 * sum / parts;
    }

    /// <summary>Half-width of the band around the median that counts as "the same confidence" in <see cref="IsDegenerate"/>.</summary>
    public const double DegenerateBand = 0.01;

    /// <summary>
    /// Whether an MIA-efficacy is uninformative because the forget outputs are degenerate: it is all-or-nothing (≤ 1 or
    /// ≥ 99) and at least 95% of the forget samples' true-class confidences lie within ±<see cref="DegenerateBand"/> of
    /// their median (near-uniform or constant outputs). The 1-D SVC then puts the whole forget set on one side of its
    /// threshold, and 0 or 100 only says on which side that one confidence value falls, not whether the samples look
    /// like members.
    /// </summary>
    public static bool IsDegenerate(ReadOnlySpan<double> forgetConfidence, double efficacyPercent)
    {
        if (forgetConfidence.IsEmpty || (efficacyPercent > 1 && efficacyPercent < 99))
        {
            return false;
        }
        double[] sorted = forgetConfidence.ToArray();
        Array.Sort(sorted);
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        int inside = 0;
        foreach (double c in sorted)
        {
            if (Math.Abs(c - median) <= DegenerateBand)
            {
                inside++;
            }
        }
        return inside >= 0.95 * sorted.Length;
    }

    private static double Share(ReadOnlySpan<int> predicted, int label)
    {
        int count = 0;
        foreach (int p in predicted)
        {
            if (p == label)
            {
                count++;
            }
        }
        return (double)count / predicted.Length;
    }

    /// <summary>
    /// A loss-threshold attack (Yeom et al. 2018): a sample is called a member when its loss is below τ,
    /// with τ chosen on the shadow sets to maximise balanced accuracy. Returns 100 × the share of forget
    /// samples called non-members, and τ.
    /// </summary>
    public static (double EfficacyPercent, double Threshold) LossThresholdEfficacyPercent(ReadOnlySpan<double> memberLoss, ReadOnlySpan<double> nonMemberLoss, ReadOnlySpan<double> forgetLoss)
    {
        if (memberLoss.IsEmpty || nonMemberLoss.IsEmpty || forgetLoss.IsEmpty)
        {
            throw new ArgumentException("the loss-threshold MIA needs member, non-member and forget samples");
        }
        double threshold = BestThreshold(memberLoss, nonMemberLoss);
        int nonMembers = 0;
        foreach (double loss in forgetLoss)
        {
            if (!(loss < threshold))
            {
                nonMembers++;
            }
        }
        return (100.0 * nonMembers / forgetLoss.Length, threshold);
    }

    /// <summary>The τ maximising ½(TPR + TNR) for "member iff loss &lt; τ", scanning midpoints between sorted losses.</summary>
    internal static double BestThreshold(ReadOnlySpan<double> memberLoss, ReadOnlySpan<double> nonMemberLoss)
    {
        var all = new (double Loss, bool Member)[memberLoss.Length + nonMemberLoss.Length];
        for (int i = 0; i < memberLoss.Length; i++)
        {
            all[i] = (memberLoss[i], true);
        }
        for (int i = 0; i < nonMemberLoss.Length; i++)
        {
            all[memberLoss.Length + i] = (nonMemberLoss[i], false);
        }
        Array.Sort(all, (a, b) => a.Loss.CompareTo(b.Loss));
        // τ below every loss: no member found, every non-member rejected.
        double bestScore = 0.5;
        double bestThreshold = all[0].Loss;
        int membersBelow = 0;
        int nonMembersBelow = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Member)
            {
                membersBelow++;
            }
            else
            {
                nonMembersBelow++;
            }
            if (i + 1 < all.Length && all[i + 1].Loss == all[i].Loss)
            {
                continue;
            }
            double tpr = (double)membersBelow / memberLoss.Length;
            double tnr = 1.0 - ((double)nonMembersBelow / nonMemberLoss.Length);
            double score = 0.5 * (tpr + tnr);
            if (score > bestScore)
            {
                bestScore = score;
                bestThreshold = i + 1 < all.Length ? 0.5 * (all[i].Loss + all[i + 1].Loss) : Math.BitIncrement(all[i].Loss);
            }
        }
        return bestThreshold;
    }
}
