using System;
using System.Collections.Generic;
using System.CommandLine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;

namespace DeepUnlearn.Cli;

/// <summary>
/// The options of the evidence beyond SalUn's metrics, shared by <c>unlearn</c>, <c>compare</c> and <c>evaluate</c>: the representation
/// probe (on by default, <c>--no-probe</c> skips it) and relearn time (off by default, <c>--relearn</c>).
/// </summary>
internal sealed class EvidenceOptions
{
    private readonly Option<bool> _noProbe = new("--no-probe") { Description = "Skip the representation probe (a linear probe on the penultimate features; class-wise requests)." };
    private readonly Option<bool> _relearn = new("--relearn") { Description = "Measure relearn time: steps of fine-tuning on a few forget samples until the forget accuracy recovers (costs up to --relearn-steps steps per model)." };
    private readonly Option<int?> _relearnSamples = new("--relearn-samples") { Description = "Forget samples to relearn on (default: 1% of the forget set, at least 8)." };
    private readonly Option<string?> _probeLayers = new("--probe-layers") { Description = $"Also probe these layers' outputs (comma-separated state-dict names, e.g. layer1,layer2, or '{LayerProbe.Auto}' for every top-level layer with weights): where the forgotten class stops being decodable (class-wise; one more pass over the probe split per model)." };
    private readonly Option<bool> _attacks = new("--attacks") { Description = "Run the per-example attacks relative to retraining (offline U-LiRA AUC / TPR at low FPR, the NeurIPS'23 per-example ε): in compare it costs up to --attack-references extra retrains (fewer when --seeds already gives several); unlearn and evaluate retrain nothing and take the retrained references from --retrained and --reference-models." };
    private readonly Option<int> _attackReferences = new("--attack-references") { Description = "K: retrained reference models per attacked model (2-4 on a CPU; LiRA uses 64+).", DefaultValueFactory = _ => new PerExampleAttackOptions().ReferenceModels };
    private readonly Option<int> _relearnSteps = new("--relearn-steps") { Description = "Relearn budget in full-batch steps.", DefaultValueFactory = _ => new RelearnOptions().MaxSteps };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_noProbe);
        command.Options.Add(_probeLayers);
        command.Options.Add(_relearn);
        command.Options.Add(_relearnSamples);
        command.Options.Add(_relearnSteps);
        command.Options.Add(_attacks);
        command.Options.Add(_attackReferences);
    }

    /// <summary>Whether to run the probe.</summary>
    public bool Probe(ParseResult parse) => !parse.GetValue(_noProbe);

    /// <summary>The layers of <c>--probe-layers</c>; null when absent.</summary>
    public IReadOnlyList<string>? ProbeLayers(ParseResult parse)
    {
        string? text = parse.GetValue(_probeLayers);
        if (text is null)
        {
            return null;
        }
        string[] layers = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return layers.Length > 0 ? layers : throw new ArgumentException($"--probe-layers is empty; give layer names (e.g. layer1,layer2) or '{LayerProbe.Auto}'");
    }

    /// <summary>The relearn settings, validated; null when <c>--relearn</c> is absent.</summary>
    public RelearnOptions? Relearn(ParseResult parse)
    {
        if (!parse.GetValue(_relearn))
        {
            return null;
        }
        var options = new RelearnOptions { Samples = parse.GetValue(_relearnSamples), MaxSteps = parse.GetValue(_relearnSteps) };
        options.Validate();
        return options;
    }

    /// <summary>The per-example attack settings, validated; null when <c>--attacks</c> is absent.</summary>
    public PerExampleAttackOptions? Attacks(ParseResult parse)
    {
        if (!parse.GetValue(_attacks))
        {
            return null;
        }
        var options = new PerExampleAttackOptions { ReferenceModels = parse.GetValue(_attackReferences) };
        options.Validate();
        return options;
    }
}
