using System;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Settings of variational inference by ELBO maximisation (<see cref="VariationalInference"/>). Each step
/// draws <see cref="Samples"/> reparameterised θ ~ q and takes one Adam step on −ELBO.
/// </summary>
public sealed record VariationalOptions
{
    private readonly int _steps = 3000;
    private readonly double _learningRate = 0.01;
    private readonly int _samples = 32;
    private readonly int _batchSize;
    private readonly double _initialStd = 0.1;

    /// <summary>The variational family.</summary>
    public PosteriorKind Posterior { get; init; } = PosteriorKind.Diagonal;

    /// <summary>Adam steps, ≥ 1.</summary>
    public int Steps { get => _steps; init => _steps = Positive(value, nameof(Steps)); }

    /// <summary>Adam's initial learning rate, &gt; 0; it follows a cosine annealing to 0 over the steps, so the last iterates settle.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = PositiveFinite(value, nameof(LearningRate)); }

    /// <summary>Monte-Carlo samples of θ per step, ≥ 1.</summary>
    public int Samples { get => _samples; init => _samples = Positive(value, nameof(Samples)); }

    /// <summary>Rows per minibatch (the likelihood term is rescaled by N / batch); 0 uses every row each step.</summary>
    public int BatchSize { get => _batchSize; init => _batchSize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be >= 0 (0 = full batch)"); }

    /// <summary>The standard deviation of the initial q = N(0, s² I), &gt; 0.</summary>
    public double InitialStd { get => _initialStd; init => _initialStd = PositiveFinite(value, nameof(InitialStd)); }

    internal static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 1");

    internal static double PositiveFinite(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number");
}
