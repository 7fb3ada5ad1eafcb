using System;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// One model's logit-scaled confidences (<see cref="LogitScaledConfidence"/>) on the forget examples and on population
/// samples (held-out samples no model trained on: the test set, its remaining classes for a class-wise request), each
/// in one fixed order shared by every model.
/// </summary>
/// <param name="Forget">φ on the forget examples.</param>
/// <param name="Population">φ on the population samples (empty: no calibration).</param>
public sealed record ModelOutputs(double[] Forget, double[] Population)
{
    /// <summary>Forget then population values, one array (for one Gaussian fit over both).</summary>
    public double[] All { get; } = Concat(Forget, Population);

    /// <summary>φ of a model's forget and population predictions.</summary>
    public static ModelOutputs Of(Predictions forget, Predictions population) =>
        new(LogitScaledConfidence.Of(forget), LogitScaledConfidence.Of(population));

    private static double[] Concat(double[] forget, double[] population)
    {
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(population);
        return [.. forget, .. population];
    }
}
