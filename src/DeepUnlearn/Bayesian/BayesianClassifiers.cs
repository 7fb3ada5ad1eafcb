using System;
using System.Collections.Generic;
using System.Globalization;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>The registry of Bayesian classifiers by name, to rebuild a model from a posterior file.</summary>
public static class BayesianClassifiers
{
    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names { get; } = [BayesianLogisticRegression.RegistryName, SparseGpClassifier.RegistryName];

    /// <summary>Rebuilds the model named <paramref name="name"/> from its <see cref="IBayesianClassifier.Configuration"/> and <see cref="IBayesianClassifier.Tensors"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones) or a missing or malformed setting.</exception>
    public static IBayesianClassifier Create(string name, IReadOnlyDictionary<string, string> configuration, IReadOnlyDictionary<string, Tensor> tensors, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(tensors);
        switch (name)
        {
            case BayesianLogisticRegression.RegistryName:
                return new BayesianLogisticRegression(
                    Int(configuration, "features"),
                    Int(configuration, "classes"),
                    Double(configuration, "prior_std"),
                    dtype,
                    device);
            case SparseGpClassifier.RegistryName:
                if (!tensors.TryGetValue("inducing_points", out Tensor? inducing))
                {
                    throw new ArgumentException("a sparse-gp model needs the tensor 'inducing_points'", nameof(tensors));
                }
                return new SparseGpClassifier(
                    inducing,
                    Double(configuration, "length_scale"),
                    Double(configuration, "variance"),
                    Double(configuration, "jitter"),
                    dtype,
                    device);
            default:
                throw new ArgumentException($"unknown Bayesian model '{name}'; valid: {string.Join(", ", Names)}", nameof(name));
        }
    }

    private static string Get(IReadOnlyDictionary<string, string> configuration, string key) =>
        configuration.TryGetValue(key, out string? value)
            ? value
            : throw new ArgumentException($"the model configuration lacks '{key}'; present: {string.Join(", ", configuration.Keys)}", nameof(configuration));

    private static int Int(IReadOnlyDictionary<string, string> configuration, string key) =>
        int.TryParse(Get(configuration, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"the model setting '{key}' = '{configuration[key]}' is not an integer", nameof(configuration));

    private static double Double(IReadOnlyDictionary<string, string> configuration, string key) =>
        double.TryParse(Get(configuration, key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ArgumentException($"the model setting '{key}' = '{configuration[key]}' is not a number", nameof(configuration));
}
