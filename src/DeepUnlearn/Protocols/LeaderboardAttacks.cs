using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The per-example attacks of one reported request of a sweep (<c>sweep --attacks</c>), computed at the merge from the
/// cells' <see cref="CellAttackOutputs"/> by the code <c>compare --attacks</c> uses (<see cref="PerExampleAttacks"/>):
/// each seed's retrain cell gives that seed's retrained model (the negative of its targets, a reference for the other
/// seeds'), the original ("do nothing") and the extra reference retrains; each method's cells give the targets. The
/// result depends only on the cells, so it is the same however the sweep was split.
/// </summary>
/// <remarks>
/// A request drawn with each cell's seed (<c>count:4500</c> without <c>@SEED</c>) has a different forget set per seed:
/// each seed is then scored against references retrained without its own forget set, U-LiRA pools the seeds' scores
/// (as <c>compare</c> pools seeds), and the NeurIPS'23 ε, which needs one forget set under several unlearned models, is
/// not computed.
/// </remarks>
public static class LeaderboardAttacks
{
    /// <summary>
    /// The attacks of <paramref name="request"/>, or null with no note when no reported cell recorded attack outputs (the
    /// sweep ran without <c>--attacks</c>); null with a note, or a report with a note, when some are missing or unusable.
    /// </summary>
    public static (PerExampleAttackReport? Report, string? Note) For(ProtocolRecipe recipe, RecipeRequest request, IReadOnlyDictionary<string, CellRecord> cells, bool classWise)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cells);
        string[] methods = recipe.Methods.Select(m => m.Label).ToArray();
        var outputs = new Dictionary<(string Method, ulong Seed), CellAttackOutputs>();
        var without = new List<string>();
        var unreadable = new List<string>();
        foreach (string method in methods.Prepend(Cell.Retrain))
        {
            foreach (ulong seed in recipe.Seeds)
            {
                if (!cells.TryGetValue(SweepPlan.CellId(method, request.Id, seed, null), out CellRecord? cell) || !cell.Ok)
                {
                    continue;
                }
                try
                {
                    if (CellAttackOutputs.Read(cell.Directory) is CellAttackOutputs file)
                    {
                        outputs[(method, seed)] = file;
                    }
                    else
                    {
                        without.Add(cell.Manifest.CellId);
                    }
                }
                catch (InvalidDataException e)
                {
                    unreadable.Add($"{cell.Manifest.CellId} ({e.Message})");
                }
            }
        }
        if (outputs.Count == 0 && unreadable.Count == 0)
        {
            return (null, null);
        }
        var notes = new List<string>();
        if (without.Count > 0)
        {
            notes.Add($"cells without attack outputs (run without --attacks; running the sweep again with --attacks re-runs them): {string.Join(", ", without)}");
        }
        if (unreadable.Count > 0)
        {
            notes.Add($"unreadable attack outputs: {string.Join("; ", unreadable)}");
        }
        var retrained = recipe.Seeds.Where(s => outputs.ContainsKey((Cell.Retrain, s))).Select(s => (Seed: s, File: outputs[(Cell.Retrain, s)])).ToArray();
        int[] ks = retrained.Select(r => r.File.ReferenceModels ?? 0).Distinct().ToArray();
        if (retrained.Length == 0 || ks.Length != 1 || ks[0] < 1)
        {
            notes.Add(retrained.Length == 0
                ? "no retrain cell recorded attack outputs: the attacks need each seed's retrained model and its references"
                : $"the retrain cells recorded different K ({string.Join(", ", ks)}); run the sweep again with one --attack-references");
            return (null, Join(notes));
        }
        var options = new PerExampleAttackOptions { ReferenceModels = ks[0] };
        var pooled = new Dictionary<string, (List<double> Positives, List<double> Negatives, List<ulong> Seeds)>(StringComparer.Ordinal);
        var parts = new List<PerExampleAttackReport>();
        var extra = new HashSet<(string Request, ulong Seed)>();
        var forgetSets = retrained.GroupBy(r => r.File.Request, StringComparer.Ordinal).ToArray();
        foreach (var group in forgetSets)
        {
            var attacks = new PerExampleAttacks(options);
            CellAttackOutputs first = group.First().File;
            bool SameOrder(CellAttackOutputs f) => f.Request == first.Request && f.ForgetOrder == first.ForgetOrder && f.PopulationOrder == first.PopulationOrder;
            foreach (var (seed, file) in group)
            {
                if (!SameOrder(file))
                {
                    notes.Add($"retrain cells of '{group.Key}' recorded their samples in different orders; the attacks of that forget set are left out");
                    attacks = null;
                    break;
                }
                attacks.AddRetrained(seed, Outputs(file, AttackModelOutputs.Retrained));
            }
            if (attacks is null)
            {
                continue;
            }
            foreach (AttackModelOutputs reference in group.SelectMany(g => g.File.Models).Where(m => m.Role == AttackModelOutputs.Reference).DistinctBy(m => m.Seed).OrderBy(m => m.Seed))
            {
                attacks.AddReference(new ModelOutputs(reference.Forget, reference.Population));
                extra.Add((group.Key, reference.Seed));
            }
            foreach (var (seed, file) in group)
            {
                attacks.AddTarget(ComparisonReport.DoNothing, seed, Outputs(file, AttackModelOutputs.Original));
            }
            foreach (string method in methods)
            {
                foreach (var (seed, _) in group)
                {
                    if (outputs.TryGetValue((method, seed), out CellAttackOutputs? file))
                    {
                        if (SameOrder(file))
                        {
                            attacks.AddTarget(method, seed, Outputs(file, AttackModelOutputs.Unlearned));
                        }
                        else
                        {
                            notes.Add($"{SweepPlan.CellId(method, request.Id, seed, null)} recorded another forget set or sample order than its retrain cell; left out");
                        }
                    }
                }
            }
            PerExampleAttackReport part;
            try
            {
                part = attacks.Compute();
            }
            catch (InvalidOperationException e)
            {
                notes.Add($"'{group.Key}': {e.Message}");
                continue;
            }
            parts.Add(part);
            foreach (ULiraResult l in part.ULira)
            {
                if (!pooled.TryGetValue(l.Method, out var p))
                {
                    pooled[l.Method] = p = ([], [], []);
                }
                p.Positives.AddRange(l.PositiveScores);
                p.Negatives.AddRange(l.NegativeScores);
                p.Seeds.AddRange(l.Seeds);
            }
        }
        if (parts.Count == 0)
        {
            return (null, Join(notes));
        }
        if (forgetSets.Length > 1)
        {
            notes.Add($"the request draws a different forget set per seed ({forgetSets.Length} sets): each seed is scored against references retrained without its own forget set, U-LiRA pools the seeds' scores, and the per-example ε, which needs one forget set under several unlearned models, is not computed");
        }
        var report = new PerExampleAttackReport
        {
            ReferenceModels = options.ReferenceModels,
            FixedVariance = options.UsesFixedVariance,
            PopulationSamples = parts[0].PopulationSamples,
            ClassWise = classWise,
            Delta = options.Delta,
            Confidence = options.Confidence,
            RetrainedModels = parts.Sum(p => p.RetrainedModels),
            ExtraTrainingRuns = extra.Count,
            ReferenceSeeds = extra.Select(e => e.Seed).Distinct().Order().ToArray(),
            Examples = parts.Sum(p => p.Examples),
            ULira = pooled.Select(kv => ULiraResult.FromScores(kv.Key, kv.Value.Seeds, options.ReferenceModels, [.. kv.Value.Positives], [.. kv.Value.Negatives])).ToArray(),
            Epsilon = parts.Count == 1 && forgetSets.Length == 1 ? parts[0].Epsilon : [],
        };
        return (report, Join(notes));
    }

    private static ModelOutputs Outputs(CellAttackOutputs file, string role)
    {
        AttackModelOutputs model = file.Models.FirstOrDefault(m => m.Role == role)
            ?? throw new InvalidDataException($"attack outputs of '{file.Request}' hold no {role} model");
        return new ModelOutputs(model.Forget, model.Population);
    }

    private static string? Join(List<string> notes) => notes.Count == 0 ? null : string.Join("; ", notes);
}
