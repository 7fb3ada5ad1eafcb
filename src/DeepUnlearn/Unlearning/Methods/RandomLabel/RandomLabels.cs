using System;
using DeepUnlearn.Data;

namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// The random labels of random-label unlearning (RL) and SalUn: for each forget sample and epoch, a class drawn
/// uniformly from all K classes, as RL.py does (<c>torch.randint(0, num_classes)</c> per batch in its CIFAR-10 branch,
/// <c>np.random.randint(0, num_classes)</c> per epoch in its CIFAR-100 branch), so the true label comes up one time in K.
/// Optionally (not the authors' choice) the true label is excluded and the draw is uniform over the other K − 1.
/// A pure function of (seed, epoch, id), so a run is reproducible from its seed and every epoch draws afresh, as
/// RL.py does.
/// </summary>
public static class RandomLabels
{
    /// <summary>The random label of sample <paramref name="id"/> in epoch <paramref name="epoch"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch (labels change from epoch to epoch).</param>
    /// <param name="id">The sample id.</param>
    /// <param name="trueLabel">The sample's class, in [0, <paramref name="numClasses"/>).</param>
    /// <param name="numClasses">K, at least 2.</param>
    /// <param name="excludeTrueLabel">Draw from the K − 1 other classes instead of all K.</param>
    public static int Draw(ulong seed, int epoch, int id, int trueLabel, int numClasses, bool excludeTrueLabel = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if ((uint)trueLabel >= (uint)numClasses)
        {
            throw new ArgumentOutOfRangeException(nameof(trueLabel), trueLabel, $"the true label must be in [0, {numClasses})");
        }
        var random = new DeterministicRandom(DeterministicRandom.Hash(seed, (ulong)epoch, (ulong)id));
        if (!excludeTrueLabel)
        {
            return random.NextInt(numClasses);
        }
        int r = random.NextInt(numClasses - 1);
        // Uniform over {0, …, K−1} \ {trueLabel}: skip over the true class.
        return r >= trueLabel ? r + 1 : r;
    }
}
