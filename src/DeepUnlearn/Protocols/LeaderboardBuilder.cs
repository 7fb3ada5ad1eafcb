using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Builds the <see cref="Leaderboard"/> from one or more sweep directories (the shards of one sweep on a shared
/// file system, or copies of them): every directory must hold the same protocol (same recipe hash); cells are
/// merged by id. Metrics are summarised over the recipe's seeds (mean, standard deviation, 95% t-interval); the
/// Gap is SalUn's gap of the means to the retrained oracle; speed-up and time ratio compare mean run times.
/// </summary>
public static class LeaderboardBuilder
{
    /// <summary>The metric keys summarised per row, with how to read them from a cell.</summary>
    public static IReadOnlyList<(string Key, Func<CellMetrics, double?> Read)> MetricReaders { get; } =
    [
        ("ua", m => m.UnlearningAccuracy),
        ("ra", m => m.RetainAccuracy),
        ("ta", m => m.TestAccuracy),
        ("ta_forgotten", m => m.ForgottenClassTestAccuracy),
        ("va", m => m.ValidationAccuracy),
        ("mia", m => m.MiaEfficacy),
        ("loss_mia", m => m.LossMiaEfficacy),
        ("js_forget", m => m.JsDivergenceForget),
        ("seconds", m => m.Seconds),
    ];

    /// <summary>Merges <paramref name="directories"/>; <paramref name="timeBudgetSeconds"/> marks the rows within a run-time budget.</summary>
    /// <exception cref="InvalidOperationException">The directories hold different protocols, or a cell of another protocol.</exception>
    public static Leaderboard Build(IReadOnlyList<string> directories, double? timeBudgetSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0)
        {
            throw new ArgumentException("give at least one sweep directory");
        }
        if (timeBudgetSeconds is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timeBudgetSeconds), timeBudgetSeconds, "the time budget must be positive seconds");
        }
        ProtocolRecipe recipe = SweepDirectory.LoadProtocol(directories[0]);
        var cells = new SortedDictionary<string, CellRecord>(StringComparer.Ordinal);
        foreach (string directory in directories)
        {
            ProtocolRecipe other = SweepDirectory.LoadProtocol(directory);
            if (other.Hash != recipe.Hash)
            {
                throw new InvalidOperationException(
                    $"'{directory}' holds recipe '{other.Name}' at scale {other.Scale} (hash {other.ShortHash}), '{directories[0]}' holds '{recipe.Name}' at scale {recipe.Scale} (hash {recipe.ShortHash}); merge one protocol at a time");
            }
            foreach (var (id, cell) in SweepDirectory.ReadCells(directory))
            {
                if (cell.Manifest.RecipeHash != recipe.Hash)
                {
                    throw new InvalidOperationException($"cell {cell.Directory} was produced by recipe hash {CanonicalJson.Short(cell.Manifest.RecipeHash)}, not this directory's {recipe.ShortHash}");
                }
                // A success wins over a failure; between two copies of one cell, the first directory's.
                if (!cells.TryGetValue(id, out CellRecord? existing) || (!existing.Ok && cell.Ok))
                {
                    cells[id] = cell;
                }
            }
        }
        SweepPlan plan = SweepPlan.Create(recipe);
        var planned = plan.All.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<SelectionRecord> selections = plan.Validation.Count > 0 ? HyperparameterSearch.Select(recipe, cells) : [];
        var tables = recipe.ReportRequests.Select(r => Table(recipe, r, cells, timeBudgetSeconds)).ToArray();
        CellManifest[] manifests = cells.Values.Where(c => planned.Contains(c.Manifest.CellId)).Select(c => c.Manifest).ToArray();
        return new Leaderboard
        {
            Recipe = recipe,
            Tables = tables,
            Selections = selections,
            Synthetic = manifests.Any(m => m.Engine.IsSynthetic),
            Originals = manifests.Select(m => m.Original).DistinctBy(o => (o.Key, o.Verdict)).OrderBy(o => o.Key, StringComparer.Ordinal).ToArray(),
            Failed = cells.Values.Where(c => !c.Ok && planned.Contains(c.Manifest.CellId))
                .Select(c => new KeyValuePair<string, string>(c.Manifest.CellId, c.Manifest.Error ?? "no metrics")).ToArray(),
            Missing = plan.All.Select(c => c.Id).Where(id => !cells.ContainsKey(id)).ToArray(),
            Provenance = manifests
                .GroupBy(m => $"{m.Engine.Runner} runner, libtorch {m.Engine.Libtorch}, {m.Engine.Device}, {m.Engine.Threads} threads, DeepUnlearn {m.DeepUnlearnVersion}")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToArray(),
            TimeBudgetSeconds = timeBudgetSeconds,
            Sources = directories.Select(Path.GetFullPath).ToArray(),
        };
    }

    private static LeaderboardTable Table(ProtocolRecipe recipe, RecipeRequest request, IReadOnlyDictionary<string, CellRecord> cells, double? budget)
    {
        var rows = new List<LeaderboardRow>();
        foreach (string method in recipe.Methods.Select(m => m.Label).Prepend(Cell.Retrain))
        {
            CellRecord?[] seeds = recipe.Seeds.Select(s => cells.TryGetValue(SweepPlan.CellId(method, request.Id, s, null), out CellRecord? c) ? c : null).ToArray();
            CellMetrics[] ok = seeds.Where(c => c is { Ok: true }).Select(c => c!.Metrics!).ToArray();
            var metrics = new SortedDictionary<string, MetricSummary>(StringComparer.Ordinal);
            foreach (var (key, read) in MetricReaders)
            {
                double?[] values = ok.Select(read).ToArray();
                // A metric is summarised only when every successful seed reports it.
                if (values.Length > 0 && values.All(v => v is not null) && MetricSummary.Of(values.Select(v => v!.Value)) is MetricSummary summary)
                {
                    metrics[key] = summary;
                }
            }
            CellRecord? first = seeds.FirstOrDefault(c => c is { Ok: true });
            rows.Add(new LeaderboardRow
            {
                Method = method,
                Settings = first?.Manifest.Settings ?? (method == Cell.Retrain ? new Dictionary<string, string>() : recipe.Method(method).Settings),
                Qualifiers = ok.Select(m => m.Qualifier).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                Seeds = ok.Length,
                MiaDegenerateSeeds = ok.Count(m => m.MiaDegenerate),
                Failed = seeds.Count(c => c is { Ok: false }),
                Missing = seeds.Count(c => c is null),
                Metrics = metrics,
            });
        }
        LeaderboardRow retrain = rows[0];
        rows = rows.Select(r => r with
        {
            Gap = GapOfMeans(r, retrain),
            SpeedUp = Ratio(retrain.Get("seconds"), r.Get("seconds")),
            TimeRatio = Ratio(r.Get("seconds"), retrain.Get("seconds")),
            WithinBudget = budget is double b && r.Get("seconds") is MetricSummary s ? s.Mean <= b : null,
        }).ToList();
        rows = rows.Select(r => r with { Pareto = r.Method == Cell.Retrain ? null : Pareto(r, rows) }).ToList();
        bool classWise = Data.Splits.ForgetRequest.Parse(request.Forget).Kind == Data.Splits.ForgetRequestKind.Classes;
        var (attacks, note) = LeaderboardAttacks.For(recipe, request, cells, classWise);
        if (attacks is not null)
        {
            rows = rows.Select(r => attacks.ULira.FirstOrDefault(l => l.Method == r.Method) is not Evaluation.Attacks.ULiraResult l ? r : r with
            {
                ULiraAuc = l.Auc,
                ULiraTprAt1Percent = l.TprAt1PercentFpr,
                ULiraTprAt01Percent = l.TprAt01PercentFpr,
                ForgetScore = attacks.Epsilon.FirstOrDefault(e => e.Method == r.Method)?.ForgetScore,
                MedianEpsilon = attacks.Epsilon.FirstOrDefault(e => e.Method == r.Method)?.MedianEpsilon,
            }).ToList();
        }
        return new LeaderboardTable(request.Id, request.Forget, request.Description, classWise, rows, recipe.Published?.For(request.Id)) { Attacks = attacks, AttackNote = note };
    }

    /// <summary>SalUn's Avg. Gap: the mean over UA, RA, TA, MIA of |this row's mean − the oracle's mean|.</summary>
    private static double? GapOfMeans(LeaderboardRow row, LeaderboardRow retrain)
    {
        string[] keys = ["ua", "ra", "ta", "mia"];
        if (keys.Any(k => row.Get(k) is null || retrain.Get(k) is null))
        {
            return null;
        }
        return keys.Average(k => Math.Abs(row.Get(k)!.Mean - retrain.Get(k)!.Mean));
    }

    private static double? Ratio(MetricSummary? numerator, MetricSummary? denominator) =>
        numerator is not null && denominator is { Mean: > 0 } ? numerator.Mean / denominator.Mean : null;

    private static bool? Pareto(LeaderboardRow row, IReadOnlyList<LeaderboardRow> rows)
    {
        if (row.Gap is not double gap || row.Get("seconds") is not MetricSummary time)
        {
            return null;
        }
        return !rows.Any(o => o.Method != row.Method && o.Method != Cell.Retrain && o.Gap is double og && o.Get("seconds") is MetricSummary ot
            && og <= gap && ot.Mean <= time.Mean && (og < gap || ot.Mean < time.Mean));
    }
}
