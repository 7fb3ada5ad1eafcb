using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>One unlearning method of a protocol, with its settings and an optional search grid.</summary>
/// <param name="Label">A registered method or a variant label (<c>famr@head</c>).</param>
/// <param name="Settings">Fixed settings (key → value as <c>--set</c> takes it), over the method's defaults.</param>
/// <param name="Grid">Hyper-parameters searched on the validation requests (empty: no search).</param>
/// <param name="Source">Where the settings come from (paper, code, our choice), for the report.</param>
public sealed record RecipeMethod(string Label, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<GridAxis> Grid, string? Source)
{
    /// <summary>
    /// Whether the settings were checked against the text of <see cref="Source"/> (null: the recipe does not say, e.g.
    /// settings that are our own choice). Reports print it beside the settings.
    /// </summary>
    public bool? SourceVerified { get; init; }

    /// <summary>Whether the method has a search grid.</summary>
    public bool HasGrid => Grid.Count > 0;

    /// <summary>Every grid point (the cartesian product of the axes, in recipe order); one empty point without a grid.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> GridPoints()
    {
        IEnumerable<SortedDictionary<string, string>> points = [new SortedDictionary<string, string>(StringComparer.Ordinal)];
        foreach (GridAxis axis in Grid)
        {
            points = points.SelectMany(p => axis.Values.Select(v => new SortedDictionary<string, string>(p, StringComparer.Ordinal) { [axis.Key] = v })).ToArray();
        }
        return points.ToArray();
    }

    /// <summary>The fixed settings with <paramref name="point"/> applied over them.</summary>
    public IReadOnlyDictionary<string, string> SettingsWith(IReadOnlyDictionary<string, string>? point)
    {
        var result = new SortedDictionary<string, string>(Settings.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in point ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }
        return result;
    }
}
