using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Chooses each searched method's settings on its validation request, never on a reported one: for every grid
/// point, the mean over the validation seeds of UA, RA, VA and MIA-efficacy, and its gap to the retrained oracle's
/// means on the same request (SalUn's Avg. Gap with the held-out validation accuracy VA in place of TA, so that
/// the test set never picks settings). The smallest gap wins; ties go to the earlier grid point.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>The criterion, as written into the report.</summary>
    public const string Criterion = "smallest mean |Δ| to the retrained oracle over UA, RA, VA (held-out validation split) and MIA-efficacy, means over the validation seeds; ties: earlier grid point";

    /// <summary>The choices for every searched method of <paramref name="recipe"/> from the validation cells in <paramref name="cells"/>.</summary>
    public static IReadOnlyList<SelectionRecord> Select(ProtocolRecipe recipe, IReadOnlyDictionary<string, CellRecord> cells)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(cells);
        var records = new List<SelectionRecord>();
        var validationRequests = recipe.ReportRequests.Where(r => r.Validation is not null)
            .GroupBy(r => r.Validation!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (RecipeMethod method in recipe.Methods.Where(m => m.HasGrid))
        {
            foreach (var group in validationRequests)
            {
                records.Add(SelectOne(recipe, method, group.Key, group.Select(r => r.Id).ToArray(), cells));
            }
        }
        return records;
    }

    /// <summary>The settings a reported cell of <paramref name="method"/> on <paramref name="reportRequest"/> runs with.</summary>
    /// <exception cref="InvalidOperationException">The search for it made no choice (the message says why).</exception>
    public static IReadOnlyDictionary<string, string> SettingsFor(RecipeMethod method, RecipeRequest reportRequest, IReadOnlyList<SelectionRecord> selections)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(reportRequest);
        ArgumentNullException.ThrowIfNull(selections);
        if (!method.HasGrid)
        {
            return method.SettingsWith(null);
        }
        SelectionRecord selection = selections.FirstOrDefault(s => s.Method == method.Label && s.ValidationRequest == reportRequest.Validation)
            ?? throw new InvalidOperationException($"no hyper-parameter search of {method.Label} on '{reportRequest.Validation}'");
        return selection.Chosen is null
            ? throw new InvalidOperationException($"the search of {method.Label} on validation request '{selection.ValidationRequest}' chose nothing: {selection.Error}")
            : method.SettingsWith(selection.Chosen);
    }

    private static SelectionRecord SelectOne(ProtocolRecipe recipe, RecipeMethod method, string validation, IReadOnlyList<string> reports, IReadOnlyDictionary<string, CellRecord> cells)
    {
        CellMetrics[] oracle = recipe.ValidationSeeds
            .Select(s => Find(cells, SweepPlan.CellId(Cell.Retrain, validation, s, null)))
            .OfType<CellMetrics>().ToArray();
        IReadOnlyList<IReadOnlyDictionary<string, string>> points = method.GridPoints();
        var candidates = new List<SelectionCandidate>();
        for (int g = 0; g < points.Count; g++)
        {
            CellMetrics?[] runs = recipe.ValidationSeeds.Select(s => Find(cells, SweepPlan.CellId(method.Label, validation, s, points[g]))).ToArray();
            CellMetrics[] ok = runs.OfType<CellMetrics>().ToArray();
            double? ua = Mean(ok, m => m.UnlearningAccuracy);
            double? ra = Mean(ok, m => m.RetainAccuracy);
            double? va = Mean(ok, m => m.ValidationAccuracy);
            double? mia = Mean(ok, m => m.MiaEfficacy);
            double? gap = null;
            if (oracle.Length > 0 && ua is not null && ra is not null && va is not null && mia is not null
                && Mean(oracle, m => m.ValidationAccuracy) is double oracleVa)
            {
                gap = (Math.Abs(ua.Value - Mean(oracle, m => m.UnlearningAccuracy)!.Value)
                    + Math.Abs(ra.Value - Mean(oracle, m => m.RetainAccuracy)!.Value)
                    + Math.Abs(va.Value - oracleVa)
                    + Math.Abs(mia.Value - Mean(oracle, m => m.MiaEfficacy)!.Value)) / 4;
            }
            candidates.Add(new SelectionCandidate(g, points[g], ok.Length, runs.Length - ok.Length, ua, ra, va, mia, gap));
        }
        string? error = null;
        if (oracle.Length == 0)
        {
            error = $"no retrained oracle result on '{validation}' (its retrain cells failed or are missing)";
        }
        else if (candidates.All(c => c.Gap is null))
        {
            error = $"no grid point of {method.Label} has results on '{validation}' (every cell failed or is missing, or the runner reports no validation accuracy)";
        }
        SelectionCandidate? best = error is null
            ? candidates.Where(c => c.Gap is not null).OrderBy(c => c.Gap).ThenBy(c => c.Index).First()
            : null;
        return new SelectionRecord(method.Label, validation, reports, Criterion, candidates, best?.Index, best?.Settings, error)
        {
            Grid = method.Grid,
            EdgeWarnings = best is null ? [] : EdgeWarnings(method, best.Settings),
        };
    }

    /// <summary>
    /// The axes of <paramref name="method"/>'s grid on which <paramref name="chosen"/> sits at the smallest or largest
    /// candidate (numeric axes of two or more values): the search could not see whether going further helps.
    /// </summary>
    public static IReadOnlyList<string> EdgeWarnings(RecipeMethod method, IReadOnlyDictionary<string, string> chosen)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(chosen);
        var warnings = new List<string>();
        foreach (GridAxis axis in method.Grid)
        {
            if (axis.Values.Count < 2 || !chosen.TryGetValue(axis.Key, out string? value))
            {
                continue;
            }
            double[] numbers = axis.Values.Select(Number).OfType<double>().ToArray();
            if (numbers.Length != axis.Values.Count || Number(value) is not double picked)
            {
                continue;
            }
            string grid = $"[{string.Join(", ", axis.Values)}]";
            if (picked == numbers.Max())
            {
                warnings.Add($"{method.Label}: {axis.Key} = {value} is the largest value of its grid {grid}; the best setting may lie above it (widen the grid)");
            }
            else if (picked == numbers.Min())
            {
                warnings.Add($"{method.Label}: {axis.Key} = {value} is the smallest value of its grid {grid}; the best setting may lie below it (widen the grid)");
            }
        }
        return warnings;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    private static CellMetrics? Find(IReadOnlyDictionary<string, CellRecord> cells, string id) =>
        cells.TryGetValue(id, out CellRecord? cell) && cell.Ok ? cell.Metrics : null;

    private static double? Mean(IReadOnlyCollection<CellMetrics> runs, Func<CellMetrics, double?> metric)
    {
        double[] values = runs.Select(metric).OfType<double>().ToArray();
        return values.Length == runs.Count && values.Length > 0 ? values.Average() : null;
    }
}
