using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// A classifier p(y | x, θ) = softmax(f_θ(x))_y over a flat parameter vector θ ∈ ℝᴾ with a Gaussian prior
/// p(θ): the model whose posterior variational inference approximates and VBU unlearns. The model owns
/// its fixed tensors (prior, inducing inputs); dispose it.
/// </summary>
public interface IBayesianClassifier : IDisposable
{
    /// <summary>The registry name (<c>logistic-regression</c>, <c>sparse-gp</c>).</summary>
    string Name { get; }

    /// <summary>The input dimension D.</summary>
    int FeatureCount { get; }

    /// <summary>The number of classes K.</summary>
    int ClassCount { get; }

    /// <summary>The parameter dimension P.</summary>
    int ParameterCount { get; }

    /// <summary>The prior p(θ) (fixed, borrowed).</summary>
    Gaussian Prior { get; }

    /// <summary>The settings that rebuild this model, as strings (stored in a posterior file's metadata).</summary>
    IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>The fixed tensors that rebuild this model beside <see cref="Configuration"/> (borrowed).</summary>
    IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The logits f_θ(x) for every parameter row θ [S, P] and input row x [N, D], as [S, N, K].</summary>
    Tensor Logits(Tensor theta, Tensor features);
}
