using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// A class-level membership test that does not saturate on class-wise requests (ours). SalUn's MIA reads the forgotten
/// class's own probability, which every method that forgets and the retrained model drive to ≈ 0, so it reports 100 for
/// all of them. This test drops the forgotten classes' probabilities and asks whether what is left, the distribution
/// over the remaining classes, still tells the forgotten class apart from its nearest remaining class: a logistic
/// regression (<see cref="LinearProbe"/>, scikit-learn's defaults) on the features log(p_j / Σ_{i∈R} p_i), j ∈ R (the
/// remaining-class logits up to a per-sample constant), trained on one half of a balanced set of test samples of the
/// forgotten classes (positives) and of the nearest remaining class (negatives), measured on the other half. Report:
/// held-out ROC AUC and balanced accuracy. A model that never saw the class answers its samples roughly as it answers
/// the neighbour's (the retrained model's AUC is the reference); a model that hides the class behind a suppressed logit
/// still separates them.
/// </summary>
/// <remarks>
/// The idea is that of the class membership inference attack (CMIA, "MIA-NN" in the preprint) of Ebrahimpour-Boroojeny,
/// Wang and Sundaram, "Unlearning Isn't Forgetting: Revealing Hidden Leakage in Class Unlearning Evaluations" (ICML 2026;
/// arXiv 2506.20893): the probabilities a model gives the neighbouring classes leak the forgotten class. Their attack
/// (an SVM on logits, with the nearest neighbour found from several retrained reference models) is not reproduced here;
/// this definition is ours, and its numbers are comparable only with each other (a method against the retrained model).
/// The nearest class is the remaining class to which the original model gives the highest mean probability on the
/// forgotten classes' test samples (so no retrained model is needed to choose it, and every model is tested on the same
/// samples).
/// </remarks>
public static class ClassMembershipInference
{
    /// <summary>The seed of the balanced split (fixed, so every model is tested on the same samples).</summary>
    public const ulong SplitSeed = 0;

    /// <summary>The smallest probability the features take the log of (float32 softmax underflows to 0).</summary>
    public const double ProbabilityFloor = 1e-30;

    /// <summary>
    /// The remaining class with the highest mean probability over the rows of <paramref name="forgottenTest"/> (the
    /// forgotten classes' test samples, as a model that knows them predicts them).
    /// </summary>
    public static int NearestClass(Predictions forgottenTest, IReadOnlyCollection<int> forgottenClasses)
    {
        ArgumentNullException.ThrowIfNull(forgottenTest);
        ArgumentNullException.ThrowIfNull(forgottenClasses);
        int k = forgottenTest.NumClasses;
        if (forgottenTest.Count == 0 || forgottenClasses.Count >= k)
        {
            throw new ArgumentException($"the nearest class needs test samples of the forgotten classes and at least one remaining class; got {forgottenTest.Count} samples, {forgottenClasses.Count} of {k} classes forgotten");
        }
        var mean = new double[k];
        for (int i = 0; i < forgottenTest.Count; i++)
        {
            for (int j = 0; j < k; j++)
            {
                mean[j] += forgottenTest.Probabilities[((long)i * k) + j];
            }
        }
        return Enumerable.Range(0, k).Where(j => !forgottenClasses.Contains(j)).MaxBy(j => mean[j]);
    }

    /// <summary>
    /// Runs the test on a model's predictions: positives are the rows of <paramref name="forgottenTest"/>, negatives the
    /// rows of <paramref name="remainingTest"/> labelled <paramref name="neighbour"/>; both sides capped at the smaller
    /// count and at <paramref name="maxPerSide"/>, drawn and halved with <paramref name="seed"/>.
    /// </summary>
    public static ProbeResult Run(Predictions forgottenTest, Predictions remainingTest, IReadOnlyCollection<int> forgottenClasses, int neighbour, ulong seed = SplitSeed, int maxPerSide = ProbeSplit.DefaultMaxPositives)
    {
        ArgumentNullException.ThrowIfNull(forgottenTest);
        ArgumentNullException.ThrowIfNull(remainingTest);
        ArgumentNullException.ThrowIfNull(forgottenClasses);
        int k = forgottenTest.NumClasses;
        int[] negatives = Enumerable.Range(0, remainingTest.Count).Where(i => remainingTest.Labels[i] == neighbour).ToArray();
        int count = Math.Min(Math.Min(forgottenTest.Count, negatives.Length), maxPerSide);
        if (count < 2)
        {
            throw new ArgumentException($"the class MIA needs at least 2 test samples of the forgotten classes and of class {neighbour}; got {forgottenTest.Count} and {negatives.Length}");
        }
        var random = new Random(unchecked((int)(seed ^ (seed >> 32)) ^ 0xC1A55));
        int[] pos = Enumerable.Range(0, forgottenTest.Count).ToArray();
        random.Shuffle(pos);
        random.Shuffle(negatives);
        var probabilities = new float[2L * count * k];
        for (int r = 0; r < count; r++)
        {
            Array.Copy(forgottenTest.Probabilities, (long)pos[r] * k, probabilities, (long)r * k, k);
            Array.Copy(remainingTest.Probabilities, (long)negatives[r] * k, probabilities, (long)(count + r) * k, k);
        }
        bool[] positive = [.. Enumerable.Repeat(true, count), .. Enumerable.Repeat(false, count)];
        int half = count / 2;
        int[] trainRows = [.. Enumerable.Range(0, half), .. Enumerable.Range(count, half)];
        int[] evalRows = [.. Enumerable.Range(half, count - half), .. Enumerable.Range(count + half, count - half)];
        return Fit(probabilities, k, forgottenClasses, positive, trainRows, evalRows);
    }

    /// <summary>
    /// Fits and measures the test on softmax rows <paramref name="probabilities"/> (row-major [n, <paramref name="k"/>]):
    /// the forgotten classes' columns are dropped, the rest renormalised and logged, and <see cref="LinearProbe"/> decodes
    /// <paramref name="positive"/> from them.
    /// </summary>
    public static ProbeResult Fit(float[] probabilities, int k, IReadOnlyCollection<int> forgottenClasses, bool[] positive, int[] trainRows, int[] evalRows)
    {
        float[] features = Features(probabilities, k, forgottenClasses);
        return LinearProbe.Fit(features, k - forgottenClasses.Count, positive, trainRows, evalRows);
    }

    /// <summary>log(p_j / Σ_{i∈R} p_i) for the remaining classes j ∈ R of every row, row-major [n, |R|].</summary>
    public static float[] Features(ReadOnlySpan<float> probabilities, int k, IReadOnlyCollection<int> forgottenClasses)
    {
        ArgumentNullException.ThrowIfNull(forgottenClasses);
        int[] remaining = Enumerable.Range(0, k).Where(j => !forgottenClasses.Contains(j)).ToArray();
        if (remaining.Length == 0 || probabilities.Length % k != 0)
        {
            throw new ArgumentException($"no remaining class, or {probabilities.Length} values are not rows of {k}");
        }
        int n = probabilities.Length / k;
        var features = new float[n * remaining.Length];
        for (int i = 0; i < n; i++)
        {
            double total = 0;
            foreach (int j in remaining)
            {
                total += probabilities[(i * k) + j];
            }
            double logTotal = Math.Log(Math.Max(total, ProbabilityFloor));
            for (int c = 0; c < remaining.Length; c++)
            {
                features[(i * remaining.Length) + c] = (float)(Math.Log(Math.Max(probabilities[(i * k) + remaining[c]], ProbabilityFloor)) - logTotal);
            }
        }
        return features;
    }
}
