using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Settings of the paper-style experiment (<see cref="VbuSweep"/>): fit q(θ | D) and the retrained q(θ | D_r) by
/// variational inference, unlearn with EUBO and reverse KL at every λ, and compare each result with retraining
/// (Nguyen, Low and Jaillet 2020, experiments; the authors' <c>run.py</c> and <c>compute_kl_distance.py</c>).
/// </summary>
public sealed record VbuSweepOptions
{
    private readonly IReadOnlyList<double> _lambdas = [0.5, 0.1, 1e-3, 1e-5, 1e-9, 0];
    private readonly int _evaluationSamples = 1000;

    /// <summary>The λ grid; by default the authors' moon grid {0.5, 0.1, 10⁻³, 10⁻⁵, 10⁻⁹, 0}. Each in [0, 1].</summary>
    public IReadOnlyList<double> Lambdas
    {
        get => _lambdas;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new ArgumentException("give at least one lambda", nameof(Lambdas));
            }
            _lambdas = value.Select(AdjustedLikelihood.ValidateLambda).ToArray();
        }
    }

    /// <summary>Run EUBO unlearning.</summary>
    public bool Eubo { get; init; } = true;

    /// <summary>Run reverse-KL unlearning.</summary>
    public bool ReverseKl { get; init; } = true;

    /// <summary>Variational inference for q(θ | D) and q(θ | D_r) (its family is the family of every posterior).</summary>
    public VariationalOptions Fit { get; init; } = new() { Posterior = PosteriorKind.Full, LearningRate = 0.05, Samples = 16 };

    /// <summary>
    /// Start the retraining at q(θ | D), as the authors' <c>run.py</c> does (<c>init_post_param=learned_param_full</c>);
    /// otherwise at N(0, s² I) like the first fit.
    /// </summary>
    public bool RetrainFromFull { get; init; } = true;

    /// <summary>EUBO settings; λ is replaced by each value of <see cref="Lambdas"/>.</summary>
    public EuboOptions EuboSettings { get; init; } = new() { Steps = 1000, LearningRate = 0.02, Samples = 16 };

    /// <summary>Reverse-KL settings; λ is replaced by each value of <see cref="Lambdas"/>.</summary>
    public ReverseKlOptions ReverseKlSettings { get; init; } = new() { Steps = 1000, LearningRate = 0.02, Samples = 256 };

    /// <summary>Monte-Carlo draws θ ~ q for each predictive distribution (the same draws' seed for every posterior), ≥ 1.</summary>
    public int EvaluationSamples { get => _evaluationSamples; init => _evaluationSamples = VariationalOptions.Positive(value, nameof(EvaluationSamples)); }
}
