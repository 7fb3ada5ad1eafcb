using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The log-likelihood log p(D | θ) = Σₙ log p(dₙ | θ) of one fixed data set D, for rows of parameters θ ∈ ℝᴾ:
/// all that the EUBO and reverse-KL unlearning read of the erased data D_e (Nguyen, Low and Jaillet 2020, the
/// EUBO and its adjusted likelihood). A classifier and its rows give one through
/// <see cref="AdjustedLikelihood(IBayesianClassifier, Gaussian, ClassificationData, double)"/>; any other model
/// (e.g. the conjugate <see cref="LinearRegressionLikelihood"/>) implements it directly. The instance owns its
/// data tensors; dispose it.
/// </summary>
public interface IDataLikelihood : IDisposable
{
    /// <summary>The parameter dimension P.</summary>
    int ParameterCount { get; }

    /// <summary>The number of rows |D|.</summary>
    int Count { get; }

    /// <summary>
    /// log p(D | θ) for each row of <paramref name="theta"/> [S, P], as [S]; differentiable in θ when gradients
    /// are on. With <paramref name="rows"/> (int64 indices into D) the sum runs over those rows only, unscaled.
    /// </summary>
    Tensor LogLikelihood(Tensor theta, Tensor? rows = null);
}
