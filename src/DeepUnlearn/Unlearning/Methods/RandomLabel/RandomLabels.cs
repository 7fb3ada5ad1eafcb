using System;
using DeepUnlearn.Data;

namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// The random labels of random-label unlearning (RL) and SalUn: for each forget sample and epoch, a class
/// drawn uniformly from the K − 1 classes other than its true one. A pure function of (seed, epoch, id), so a
/// run is reproducible from its seed and every epoch draws afresh, as SalUn's RL.py does (it redraws the
/// labels every epoch). Unlike RL.py (<c>randint(0, num_classes)</c>, which keeps the true label one time in
/// K), the true label is excluded, so every relabelled sample really is mislabelled (a deliberate deviation).
/// </summary>
public static class RandomLabels
{
    /// <summary>The random label of sample <paramref name="id"/> in epoch <paramref name="epoch"/>: never <paramref name="trueLabel"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch (labels change from epoch to epoch).</param>
    /// <param name="id">The sample id.</param>
    /// <param name="trueLabel">The sample's class, in [0, <paramref name="numClasses"/>).</param>
    /// <param name="numClasses">K, at least 2.</param>
    public static int Draw(ulong seed, int epoch, int id, int trueLabel, int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if ((uint)trueLabel >= (uint)numClasses)
        {
            throw new ArgumentOutOfRangeException(nameof(trueLabel), trueLabel, $"the true label must be in [0, {numClasses})");
        }
        var random = new DeterministicRandom(DeterministicRandom.Hash(seed, (ulong)epoch, (ulong)id));
        int r = random.NextInt(numClasses - 1);
        // Uniform over {0, …, K−1} \ {trueLabel}: skip over the true class.
        return r >= trueLabel ? r + 1 : r;
    }
}
