using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// The samples a representation probe is trained and measured on: ids of one split of the data, each marked positive
/// (the forgotten class) or negative (the rest), split into a probe-training half and a held-out half.
/// </summary>
/// <param name="TrainIds">Probe-training sample ids.</param>
/// <param name="TrainPositive">Whether each training id is a positive.</param>
/// <param name="EvalIds">Held-out sample ids.</param>
/// <param name="EvalPositive">Whether each held-out id is a positive.</param>
public sealed record ProbeSplit(int[] TrainIds, bool[] TrainPositive, int[] EvalIds, bool[] EvalPositive)
{
    /// <summary>The default cap on positives (the negatives match it).</summary>
    public const int DefaultMaxPositives = 1000;

    /// <summary>
    /// A balanced split of the samples with <paramref name="labels"/>: every sample of <paramref name="forgottenClasses"/>
    /// (at most <paramref name="maxPositives"/>, drawn at random) against as many drawn at random from the other classes,
    /// each side halved at random into probe-training and held-out samples. Seeded: the same seed gives the same split,
    /// so the original, unlearned and retrained models are probed on the same samples.
    /// </summary>
    public static ProbeSplit Balanced(ReadOnlySpan<int> labels, IReadOnlyCollection<int> forgottenClasses, ulong seed, int maxPositives = DefaultMaxPositives)
    {
        ArgumentNullException.ThrowIfNull(forgottenClasses);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPositives, 2);
        var forgotten = new HashSet<int>(forgottenClasses);
        var positives = new List<int>();
        var negatives = new List<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            (forgotten.Contains(labels[i]) ? positives : negatives).Add(i);
        }
        if (positives.Count < 2 || negatives.Count < 2)
        {
            throw new ArgumentException($"a probe needs at least 2 samples of the forgotten class(es) {string.Join(",", forgottenClasses)} and 2 others; the split has {positives.Count} and {negatives.Count}");
        }
        var random = new Random(unchecked((int)(seed ^ (seed >> 32)) ^ 0x5EED));
        int count = Math.Min(Math.Min(positives.Count, negatives.Count), maxPositives);
        int[] pos = Shuffle(positives, random)[..count];
        int[] neg = Shuffle(negatives, random)[..count];
        int half = count / 2;
        int[] trainIds = [.. pos[..half], .. neg[..half]];
        int[] evalIds = [.. pos[half..], .. neg[half..]];
        return new ProbeSplit(
            trainIds,
            [.. Enumerable.Repeat(true, half), .. Enumerable.Repeat(false, half)],
            evalIds,
            [.. Enumerable.Repeat(true, count - half), .. Enumerable.Repeat(false, count - half)]);
    }

    private static int[] Shuffle(List<int> items, Random random)
    {
        int[] a = [.. items];
        random.Shuffle(a);
        return a;
    }
}
