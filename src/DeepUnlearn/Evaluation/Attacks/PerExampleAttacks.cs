using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// Per-example membership attacks relative to retraining, from the logit-scaled confidences
/// (<see cref="LogitScaledConfidence"/>) of every model on the forget set, in one fixed example order:
/// <list type="bullet">
/// <item>offline U-LiRA (Hayes et al. 2024, "Inexact unlearning needs more careful evaluations to avoid a false sense of
/// privacy"; LiRA's offline test, Carlini et al. 2022): for a method run with seed s, positives are its forget
/// examples, negatives the same examples under seed s's own retrained model, both scored by the negative Gaussian
/// log-likelihood under K other retrained models. Hayes et al. draw the negatives the same way (retrained target
/// models), which makes the test meaningful for class-wise requests too, where no held-out sample of the class is a
/// non-member of an unlearned model that still generalises to it. Offline: no "trained then unlearned" shadow
/// models, so the test is one-distribution (the cheap variant their paper compares against);</item>
/// <item>the NeurIPS 2023 challenge's per-example ε (<see cref="EpsilonEstimator"/>) from the method's seeds against all
/// retrained models.</item>
/// </list>
/// A retrained model is never its own reference: a target of seed s uses the retrains of the other seeds and the
/// extra references, never seed s's retrain (its negative).
/// </summary>
public sealed class PerExampleAttacks
{
    private readonly PerExampleAttackOptions _options;
    private readonly List<(ulong Seed, ModelOutputs Outputs)> _retrained = [];
    private readonly List<ModelOutputs> _references = [];
    private readonly List<(string Method, ulong Seed, ModelOutputs Outputs)> _targets = [];
    private int? _examples;
    private int? _population;

    /// <summary>Collects outputs for <paramref name="options"/> (validated).</summary>
    public PerExampleAttacks(PerExampleAttackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The settings.</summary>
    public PerExampleAttackOptions Options => _options;

    /// <summary>
    /// The extra reference retrains a comparison needs on top of its own: every seed's targets need K references besides
    /// that seed's retrain. <paramref name="distinctRetrained"/> is the number of different retrained models it already
    /// has (one per seed, or 1 when a single retrained checkpoint is reused).
    /// </summary>
    public static int ExtraReferencesNeeded(int referenceModels, int distinctRetrained) =>
        Math.Max(0, referenceModels - Math.Max(0, distinctRetrained - 1));

    /// <summary>
    /// Seed <paramref name="seed"/>'s retrained model: the negative of that seed's targets and a reference for the other
    /// seeds'. Pass the same array for several seeds when one retrained model serves them all.
    /// </summary>
    public void AddRetrained(ulong seed, ModelOutputs outputs)
    {
        Check(outputs);
        if (_retrained.Any(r => r.Seed == seed))
        {
            throw new ArgumentException($"seed {seed} already has its retrained model");
        }
        _retrained.Add((seed, outputs));
    }

    /// <summary>An extra retrained model that only serves as a reference.</summary>
    public void AddReference(ModelOutputs outputs)
    {
        Check(outputs);
        _references.Add(outputs);
    }

    /// <summary>A model to attack: <paramref name="method"/> run with <paramref name="seed"/>.</summary>
    public void AddTarget(string method, ulong seed, ModelOutputs outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        Check(outputs);
        _targets.Add((method, seed, outputs));
    }

    /// <summary>Whether scores are calibrated against population samples (every model brought some, and the options ask for it).</summary>
    public bool Calibrated => _options.Calibrate && _population > 0;

    /// <summary>The references of a target run with <paramref name="seed"/>: the first K retrains that are not its negative.</summary>
    public ModelOutputs[] ReferencesFor(ulong seed)
    {
        ModelOutputs negative = Negative(seed);
        var pool = _retrained.Select(r => r.Outputs).Distinct(ReferenceEqualityComparer.Instance).Cast<ModelOutputs>()
            .Where(p => !ReferenceEquals(p, negative)).Concat(_references).ToList();
        if (pool.Count < _options.ReferenceModels)
        {
            throw new InvalidOperationException($"seed {seed} has {pool.Count} reference retrains besides its own, K = {_options.ReferenceModels} are needed: add {_options.ReferenceModels - pool.Count} more");
        }
        return [.. pool.Take(_options.ReferenceModels)];
    }

    /// <summary>Runs both attacks on every method (in the order first added).</summary>
    public PerExampleAttackReport Compute()
    {
        if (_targets.Count == 0)
        {
            throw new InvalidOperationException("no model to attack was added");
        }
        var lira = new List<ULiraResult>();
        var epsilon = new List<EpsilonResult>();
        foreach (var group in _targets.GroupBy(t => t.Method))
        {
            var positives = new List<double>();
            var negatives = new List<double>();
            foreach (var (_, seed, outputs) in group)
            {
                // One fit over the forget and the population examples, so both are scored on one scale.
                var (mean, std) = GaussianLikelihood.Fit(ReferencesFor(seed).Select(r => r.All).ToArray(), _options.UsesFixedVariance);
                positives.AddRange(Score(outputs, mean, std));
                negatives.AddRange(Score(Negative(seed), mean, std));
            }
            lira.Add(ULiraResult.FromScores(group.Key, group.Select(g => g.Seed).ToArray(), _options.ReferenceModels, [.. positives], [.. negatives]));
            epsilon.Add(Epsilon(group.Key, group.Select(g => g.Outputs.Forget).ToArray()));
        }
        return new PerExampleAttackReport
        {
            ReferenceModels = _options.ReferenceModels,
            FixedVariance = _options.UsesFixedVariance,
            PopulationSamples = Calibrated ? _population!.Value : 0,
            Delta = _options.Delta,
            Confidence = _options.Confidence,
            RetrainedModels = AllRetrained().Count,
            Examples = _examples ?? 0,
            ULira = lira,
            Epsilon = epsilon,
        };
    }

    private EpsilonResult Epsilon(string method, double[][] unlearned)
    {
        IReadOnlyList<double[]> retrained = AllRetrained();
        int n = _examples!.Value;
        var examples = new ExampleEpsilon[n];
        // Examples are independent: spread them over the cores (the two-threshold rule tries 160,000 rules each).
        System.Threading.Tasks.Parallel.For(0, n, i =>
        {
            double[] u = unlearned.Select(p => p[i]).ToArray();
            double[] r = retrained.Select(p => p[i]).ToArray();
            examples[i] = EpsilonEstimator.Example(u, r, _options.Delta, _options.Confidence);
        });
        double[] upper = examples.Select(e => e.Upper).ToArray();
        double medianUpper = GaussianLikelihood.Median(upper);
        return new EpsilonResult
        {
            Method = method,
            UnlearnedModels = unlearned.Length,
            RetrainedModels = retrained.Count,
            ForgetScore = EpsilonEstimator.ForgetScore(examples.Select(e => e.Epsilon).ToArray(), Math.Min(unlearned.Length, retrained.Count)),
            MedianEpsilon = GaussianLikelihood.Median(examples.Select(e => e.Epsilon).ToArray()),
            MedianLower = GaussianLikelihood.Median(examples.Select(e => e.Lower).ToArray()),
            MedianUpper = double.IsPositiveInfinity(medianUpper) ? null : medianUpper,
            DistinguishablePercent = 100.0 * examples.Count(e => e.Lower > 0) / n,
            PeakyPercent = 100.0 * examples.Count(e => e.Peaky) / n,
            LargestFinite = EpsilonEstimator.LargestFinite(Math.Min(unlearned.Length, retrained.Count), _options.Delta),
            Examples = examples,
        };
    }

    /// <summary>
    /// The membership scores of one model's forget examples: the Gaussian negative log-likelihood, or, calibrated, that
    /// score standardised by the same model's scores on the population samples, (s(x) − mean_z s(z)) / std_z s(z).
    /// This is RMIA's idea (Zarifzadeh et al. 2024: judge x against population samples z through the same model)
    /// without its pairwise counting, whose share Pr_z[s(z) &lt; s(x)] saturates at 1 with a few hundred z and leaves no
    /// resolution at 0.1% FPR. It removes what is common to all of a model's outputs (a model more confident overall
    /// than the references), which otherwise decides the comparison of one unlearned model with one retrained model.
    /// </summary>
    private double[] Score(ModelOutputs outputs, double[] mean, double[] std)
    {
        double[] all = GaussianLikelihood.Scores(outputs.All, mean, std);
        double[] forget = all[..outputs.Forget.Length];
        if (!Calibrated)
        {
            return forget;
        }
        double[] population = all[outputs.Forget.Length..];
        double center = population.Average();
        double spread = Math.Sqrt(population.Sum(z => (z - center) * (z - center)) / population.Length);
        double scale = spread > 0 ? spread : 1;
        return [.. forget.Select(x => (x - center) / scale)];
    }

    private List<double[]> AllRetrained() =>
        [.. _retrained.Select(r => r.Outputs).Distinct(ReferenceEqualityComparer.Instance).Cast<ModelOutputs>().Concat(_references).Select(o => o.Forget)];

    private ModelOutputs Negative(ulong seed) =>
        _retrained.FirstOrDefault(r => r.Seed == seed).Outputs
        ?? throw new InvalidOperationException($"seed {seed} has no retrained model (its negative): add it with AddRetrained");

    private void Check(ModelOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _examples ??= outputs.Forget.Length;
        _population ??= outputs.Population.Length;
        if (outputs.Forget.Length != _examples || outputs.Forget.Length == 0)
        {
            throw new ArgumentException($"every model must be scored on the same {_examples} forget examples (got {outputs.Forget.Length})");
        }
        if (outputs.Population.Length != _population)
        {
            throw new ArgumentException($"every model must be scored on the same {_population} population samples (got {outputs.Population.Length})");
        }
    }
}
