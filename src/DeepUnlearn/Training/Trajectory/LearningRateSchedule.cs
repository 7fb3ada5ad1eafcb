using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// The learning rate η_t of every step. DeltaGrad and exact retraining replay the rates recorded in
/// the trajectory, so any schedule works; these are the ones the DeltaGrad paper's experiments use
/// (constant, or piecewise constant over epochs).
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly Func<int, double> _rate;

    private LearningRateSchedule(Func<int, double> rate, string description)
    {
        _rate = rate;
        Description = description;
    }

    /// <summary>A short human-readable form, for run manifests.</summary>
    public string Description { get; }

    /// <summary>η at step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return _rate(step);
    }

    /// <summary>The same η at every step.</summary>
    public static LearningRateSchedule Constant(double learningRate)
    {
        CheckRate(learningRate);
        return new LearningRateSchedule(_ => learningRate, $"constant {learningRate}");
    }

    /// <summary>
    /// η = <paramref name="rates"/>[i] for <paramref name="epochs"/>[i] epochs in turn (the paper's
    /// <c>--lr 0.1 0.05 --lrlen 10 10</c>), the last rate continuing afterwards.
    /// </summary>
    public static LearningRateSchedule PiecewiseByEpoch(IReadOnlyList<double> rates, IReadOnlyList<int> epochs, long stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        if (rates.Count == 0 || rates.Count != epochs.Count)
        {
            throw new ArgumentException($"need one epoch count per rate; got {rates.Count} rates and {epochs.Count} epoch counts");
        }
        foreach (double rate in rates)
        {
            CheckRate(rate);
        }
        double[] r = rates.ToArray();
        long[] ends = new long[r.Length];
        long end = 0;
        for (int i = 0; i < r.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(epochs[i], 1);
            end += epochs[i] * stepsPerEpoch;
            ends[i] = end;
        }
        return new LearningRateSchedule(
            step =>
            {
                for (int i = 0; i < ends.Length; i++)
                {
                    if (step < ends[i])
                    {
                        return r[i];
                    }
                }
                return r[^1];
            },
            $"piecewise {string.Join(", ", r.Select((x, i) => $"{x}×{epochs[i]} epochs"))}");
    }

    /// <summary>Explicit per-step rates (e.g. read back from a trajectory); steps past the end repeat the last.</summary>
    public static LearningRateSchedule PerStep(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count == 0)
        {
            throw new ArgumentException("need at least one rate", nameof(rates));
        }
        double[] r = rates.ToArray();
        foreach (double rate in r)
        {
            CheckRate(rate);
        }
        return new LearningRateSchedule(step => r[Math.Min(step, r.Length - 1)], $"per step ({r.Length} rates)");
    }

    private static void CheckRate(double rate)
    {
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "a learning rate must be finite and > 0");
        }
    }
}
