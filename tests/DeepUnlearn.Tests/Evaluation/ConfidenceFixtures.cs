using System;
using System.Linq;
using DeepUnlearn.Evaluation;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>Hand-made true-class confidences as predictions, for the membership-inference wiring tests.</summary>
internal static class ConfidenceFixtures
{
    /// <summary><paramref name="count"/> values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static double[] Draw(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    /// <summary>Two-class predictions of label 0 whose true-class confidence is <paramref name="confidence"/>.</summary>
    public static Predictions Confident(double[] confidence, int firstId) => new(
        Enumerable.Range(firstId, confidence.Length).ToArray(),
        new int[confidence.Length],
        confidence.SelectMany(c => new[] { (float)c, (float)(1 - c) }).ToArray(),
        confidence.Select(c => -Math.Log(c)).ToArray(),
        2);
}
