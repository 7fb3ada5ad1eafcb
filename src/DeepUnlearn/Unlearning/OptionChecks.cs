using System;

namespace DeepUnlearn.Unlearning;

/// <summary>Uniform messages for invalid method options (<c>famr.rho must be positive, got -1</c>).</summary>
public static class OptionChecks
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Require(bool condition, string method, string key, string rule, object? value)
    {
        if (!condition)
        {
            throw new ArgumentException($"invalid {method}.{key}: must be {rule}, got {value}");
        }
    }

    /// <summary>A positive number float32 can hold (every setting ends up in float32 tensor arithmetic; 1e308 would overflow there).</summary>
    public static void Positive(double value, string method, string key) =>
        Require(value > 0 && value <= float.MaxValue, method, key, "a positive number float32 can hold (at most 3.4E+38)", value);

    /// <summary>A non-negative number.</summary>
    public static void NonNegative(double value, string method, string key) => Require(value >= 0 && !double.IsNaN(value), method, key, "non-negative", value);

    /// <summary>At least 1.</summary>
    public static void AtLeastOne(int value, string method, string key) => Require(value >= 1, method, key, "at least 1", value);

    /// <summary>A batch size: 1 to <see cref="Training.TrainingConfig.MaxBatchSize"/>.</summary>
    public static void BatchSize(int value, string method, string key) =>
        Require(value is >= 1 and <= Training.TrainingConfig.MaxBatchSize, method, key, $"at least 1 and at most {Training.TrainingConfig.MaxBatchSize}", value);

    /// <summary>In [low, high].</summary>
    public static void InRange(double value, double low, double high, string method, string key) =>
        Require(value >= low && value <= high, method, key, $"in [{low}, {high}]", value);
}
