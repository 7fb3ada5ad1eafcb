using System;
using System.Collections.Generic;

namespace DeepUnlearn.Bayesian;

/// <summary>A model and its posterior read from a posterior file (<see cref="PosteriorFile"/>); dispose it.</summary>
public sealed class LoadedPosterior : IDisposable
{
    internal LoadedPosterior(IBayesianClassifier model, Gaussian posterior, IReadOnlyDictionary<string, string> metadata)
    {
        Model = model;
        Posterior = posterior;
        Metadata = metadata;
    }

    /// <summary>The model.</summary>
    public IBayesianClassifier Model { get; }

    /// <summary>The posterior.</summary>
    public Gaussian Posterior { get; }

    /// <summary>The caller's metadata saved with the posterior (without the reserved keys).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Posterior.Dispose();
        Model.Dispose();
    }
}
