using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The cells of a recipe. Validation stage: for every validation request that a reported request names, every
/// grid point of every searched method on each validation seed, plus retrain on each validation seed. Report stage:
/// for every reported request, retrain and every method on each seed. Each stage is sorted by id.
/// </summary>
public sealed class SweepPlan
{
    private SweepPlan(IReadOnlyList<Cell> validation, IReadOnlyList<Cell> report)
    {
        Validation = validation;
        Report = report;
    }

    /// <summary>The search cells, sorted by id.</summary>
    public IReadOnlyList<Cell> Validation { get; }

    /// <summary>The reported cells, sorted by id.</summary>
    public IReadOnlyList<Cell> Report { get; }

    /// <summary>Every cell.</summary>
    public IEnumerable<Cell> All => Validation.Concat(Report);

    /// <summary>Expands <paramref name="recipe"/> into cells.</summary>
    public static SweepPlan Create(ProtocolRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var validation = new List<Cell>();
        RecipeMethod[] searched = recipe.Methods.Where(m => m.HasGrid).ToArray();
        if (searched.Length > 0)
        {
            string[] validationRequests = recipe.ReportRequests.Select(r => r.Validation!).Distinct(StringComparer.Ordinal).ToArray();
            foreach (string request in validationRequests)
            {
                foreach (ulong seed in recipe.ValidationSeeds)
                {
                    validation.Add(new Cell(CellId(Cell.Retrain, request, seed, null), Cell.Retrain, request, seed, CellStage.Validation, new Dictionary<string, string>(), null));
                    foreach (RecipeMethod method in searched)
                    {
                        IReadOnlyList<IReadOnlyDictionary<string, string>> points = method.GridPoints();
                        for (int g = 0; g < points.Count; g++)
                        {
                            validation.Add(new Cell(CellId(method.Label, request, seed, points[g]), method.Label, request, seed, CellStage.Validation, points[g], g));
                        }
                    }
                }
            }
        }
        var report = new List<Cell>();
        foreach (RecipeRequest request in recipe.ReportRequests)
        {
            foreach (ulong seed in recipe.Seeds)
            {
                report.Add(new Cell(CellId(Cell.Retrain, request.Id, seed, null), Cell.Retrain, request.Id, seed, CellStage.Report, new Dictionary<string, string>(), null));
                foreach (RecipeMethod method in recipe.Methods)
                {
                    report.Add(new Cell(CellId(method.Label, request.Id, seed, null), method.Label, request.Id, seed, CellStage.Report, new Dictionary<string, string>(), null));
                }
            }
        }
        return new SweepPlan(Sorted(validation), Sorted(report));
    }

    /// <summary>The id of a cell: <c>{label}.{request}.s{seed}</c>, plus <c>.g</c> and 8 hex digits of the grid point's hash.</summary>
    public static string CellId(string label, string request, ulong seed, IReadOnlyDictionary<string, string>? gridPoint)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"{label}.{request}.s{seed}");
        return gridPoint is null ? id : $"{id}.g{CanonicalJson.Hash(CanonicalJson.Object(gridPoint))[..8]}";
    }

    private static Cell[] Sorted(List<Cell> cells)
    {
        Cell[] sorted = cells.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Id == sorted[i - 1].Id)
            {
                throw new InvalidOperationException($"two cells share the id {sorted[i].Id}");
            }
        }
        return sorted;
    }
}
