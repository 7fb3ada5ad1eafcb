using System;
using System.Collections.Generic;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The two-moons synthetic binary classification set (the shape of scikit-learn's <c>make_moons</c>): class 0
/// on the upper half circle (cos t, sin t), class 1 on the lower one (1 − cos t, ½ − sin t), t evenly spaced
/// in [0, π], rows shuffled and Gaussian noise added; seeded, so a seed gives the same rows everywhere.
/// </summary>
public static class TwoMoons
{
    /// <summary>The class names.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["upper", "lower"];

    /// <summary><paramref name="count"/> rows (⌊count/2⌋ of class 0) with noise standard deviation <paramref name="noise"/>.</summary>
    public static ClassificationData Generate(int count, double noise = 0.2, int seed = 0)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "two moons need at least 2 rows");
        }
        if (!(noise >= 0) || double.IsInfinity(noise))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "the noise standard deviation must be a finite number >= 0");
        }
        var random = new Random(seed);
        int upper = count / 2;
        int lower = count - upper;
        var features = new double[count * 2];
        var labels = new int[count];
        for (int i = 0; i < upper; i++)
        {
            double t = upper == 1 ? 0 : Math.PI * i / (upper - 1);
            features[2 * i] = Math.Cos(t);
            features[(2 * i) + 1] = Math.Sin(t);
            labels[i] = 0;
        }
        for (int i = 0; i < lower; i++)
        {
            double t = lower == 1 ? 0 : Math.PI * i / (lower - 1);
            int row = upper + i;
            features[2 * row] = 1 - Math.Cos(t);
            features[(2 * row) + 1] = 0.5 - Math.Sin(t);
            labels[row] = 1;
        }
        // Fisher–Yates shuffle of whole rows, then noise, both from the one seeded stream.
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (features[2 * i], features[2 * j]) = (features[2 * j], features[2 * i]);
            (features[(2 * i) + 1], features[(2 * j) + 1]) = (features[(2 * j) + 1], features[(2 * i) + 1]);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        for (int i = 0; i < features.Length; i += 2)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            features[i] += noise * radius * Math.Cos(angle);
            features[i + 1] += noise * radius * Math.Sin(angle);
        }
        return new ClassificationData(features, labels, 2, 2, ClassNames);
    }
}
