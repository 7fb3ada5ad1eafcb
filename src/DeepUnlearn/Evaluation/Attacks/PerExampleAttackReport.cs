using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>The per-example attacks of a comparison (<see cref="PerExampleAttacks"/>), with their definitions.</summary>
public sealed record PerExampleAttackReport
{
    /// <summary>K: reference retrains per target.</summary>
    public required int ReferenceModels { get; init; }

    /// <summary>Whether the Gaussian fit used one σ for every example.</summary>
    public required bool FixedVariance { get; init; }

    /// <summary>Population samples each model's scores were calibrated against (0: not calibrated).</summary>
    public required int PopulationSamples { get; init; }

    /// <summary>Whether the request was class-wise (the population is then the remaining classes' test samples).</summary>
    public bool ClassWise { get; init; }

    /// <summary>δ of the ε estimate.</summary>
    public required double Delta { get; init; }

    /// <summary>Confidence of the Clopper–Pearson intervals.</summary>
    public required double Confidence { get; init; }

    /// <summary>Different retrained models used (the comparison's own and the extra references).</summary>
    public required int RetrainedModels { get; init; }

    /// <summary>Extra training runs spent on references beyond the comparison's own retrains.</summary>
    public int ExtraTrainingRuns { get; init; }

    /// <summary>Seeds of those extra reference retrains.</summary>
    public IReadOnlyList<ulong> ReferenceSeeds { get; init; } = [];

    /// <summary>Forget examples attacked.</summary>
    public required int Examples { get; init; }

    /// <summary>Offline U-LiRA, one row per method.</summary>
    public required IReadOnlyList<ULiraResult> ULira { get; init; }

    /// <summary>The NeurIPS'23 ε estimate, one row per method.</summary>
    public required IReadOnlyList<EpsilonResult> Epsilon { get; init; }

    /// <summary>The section of compare.md: the definitions, then one row per method.</summary>
    public string ToMarkdown(string rocFile = "attack-roc.svg")
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("Per-example attacks relative to retraining (costly; `--attacks`):");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"- **U-LiRA AUC, TPR@1%, TPR@0.1%** (offline U-LiRA, Hayes et al. 2024; LiRA's offline test, Carlini et al. 2022): for each forget example, φ = log p_y − log Σ_(j≠y) p_j of the model; a Gaussian is fitted to φ under K = {ReferenceModels} retrained models ({(FixedVariance ? "one σ for all examples, LiRA's fixed variance" : "each example's own σ")}, median as the mean), and a model's score is −log N(φ; μ, σ²){(PopulationSamples > 0 ? $", standardised by the same model's scores on {PopulationSamples:N0} population samples (test samples no model trained on{(ClassWise ? ", remaining classes" : string.Empty)}; RMIA's idea, Zarifzadeh et al. 2024, of judging x against population samples through the same model, so that one model being more or less confident overall does not decide the test)" : string.Empty)}. Positives: the method's model of each seed on every forget example; negatives: that seed's retrained model (never one of its K references) on the same examples. AUC 0.5 = example by example, the method's outputs look like retraining's; 1 = every example gives it away. TPR@x% = share of positives caught at FPR < x% (the low-FPR reading LiRA argues for); \"FP allowed\" = how many false positives the 0.1% point may have: 0 means it is the TPR before the first false positive, a handful of samples."));
        sb.AppendLine(string.Create(inv, $"- **F, ε** (NeurIPS 2023 unlearning challenge, Triantafillou et al. 2024; google-deepmind/unlearning_evaluation metric.py): per forget example, the ε of the best one- or two-threshold rule telling the method's N_u models (its seeds) from the N_r retrained models by φ, δ = {Delta:G2}, capped at 50; F = mean of 2^(−bucket) over examples, buckets of 0.5 up to ⌈log(N − 1)⌉ (1 = every example looks retrained; '–' with fewer than 3 models per side). ε columns: the median over examples of the estimate and of its {Confidence * 100:F0}% interval (ours: Clopper–Pearson bounds on the best rule's FPR and FNR; the rule is chosen on the same models, so the lower end is not a certified audit bound). 'ε>0' = share of examples whose interval excludes 0. With N models per side no finite ε above log(N − 1) can be shown: with few seeds the interval is wide and the estimate is coarse, not evidence of forgetting. The challenge used 512 models per side."));
        if (Epsilon.Any(e => e.UnlearnedModels < 3))
        {
            sb.AppendLine(string.Create(inv, $"- Too few models for ε here (N_u = {Epsilon.Min(e => e.UnlearnedModels)}): {(Epsilon.Any(e => e.UnlearnedModels == 1) ? "one unlearned model has no spread, so the challenge's peakiness rule caps every example at 50, and " : string.Empty)}intervals reaching down to 0 say that nothing can be concluded; F needs --seeds with 3 or more seeds (the challenge used 512)."));
        }
        sb.AppendLine(string.Create(inv, $"- Cost: {RetrainedModels} retrained models ({ExtraTrainingRuns} extra training run(s) beyond the comparison's own retrains{(ReferenceSeeds.Count > 0 ? ", seeds " + string.Join(", ", ReferenceSeeds) : string.Empty)}), {Examples:N0} forget examples."));
        sb.AppendLine();
        sb.AppendLine("| method | U-LiRA AUC | TPR@1% | TPR@0.1% | pos / neg (FP allowed at 0.1%) | F ↑ | median ε [interval] | ε>0 (%) | N_u / N_r |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (ULiraResult l in ULira)
        {
            EpsilonResult? e = Epsilon.FirstOrDefault(x => x.Method == l.Method);
            string eps = e is null ? "–" : string.Create(inv, $"{e.MedianEpsilon:F2} [{e.MedianLower:F2}, {(e.MedianUpper is double u ? u.ToString("F2", inv) : "∞")}]");
            string f = e?.ForgetScore is double fs ? fs.ToString("F3", inv) : "–";
            sb.AppendLine(inv, $"| {l.Method} | {l.Auc:F3} | {100 * l.TprAt1PercentFpr:F2}% | {100 * l.TprAt01PercentFpr:F2}% | {l.Positives:N0} / {l.Negatives:N0} ({l.FalsePositivesAt01Percent}) | {f} | {eps} | {(e is null ? "–" : e.DistinguishablePercent.ToString("F1", inv))} | {(e is null ? "–" : $"{e.UnlearnedModels} / {e.RetrainedModels}")} |");
        }
        sb.AppendLine();
        sb.AppendLine(inv, $"![U-LiRA ROC curves (log-log)]({rocFile})");
        sb.AppendLine();
        return sb.ToString();
    }
}
