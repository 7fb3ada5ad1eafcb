using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Data;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// Which data a <c>deepunlearn vbu</c> run used, precisely enough to rebuild the same rows (with the same
/// ids) in a later <c>unlearn</c> or <c>evaluate</c>: saved in the posterior file's metadata and run.json.
/// </summary>
internal sealed record VbuDataSpec
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string Kind { get; init; } = "moons";

    public int? Count { get; init; }

    public double? Noise { get; init; }

    public int? Seed { get; init; }

    public int? Block { get; init; }

    public string? Path { get; init; }

    /// <summary>fashion-mnist: the classes kept, comma-separated label numbers in the order of the new labels 0, 1, ... (null: all ten).</summary>
    public string? Classes { get; init; }

    /// <summary>fashion-mnist: keep this many rows, a seeded random subset in file order (null: all).</summary>
    public int? Rows { get; init; }

    /// <summary>Parses <c>moons</c>, <c>fashion-mnist</c> or <c>csv:FILE</c> with the per-source settings.</summary>
    public static VbuDataSpec Parse(string text, int moonsCount, double moonsNoise, int moonsSeed, int fashionBlock, string? fashionDirectory, string? fashionClasses = null, int? fashionRows = null)
    {
        if (string.Equals(text, "moons", StringComparison.OrdinalIgnoreCase))
        {
            if (moonsCount < 2)
            {
                throw new ArgumentException($"--moons-count must be at least 2, got {moonsCount}");
            }
            if (!(moonsNoise >= 0) || double.IsInfinity(moonsNoise))
            {
                throw new ArgumentException($"--moons-noise must be a finite number >= 0, got {moonsNoise.ToString(CultureInfo.InvariantCulture)}");
            }
            return new VbuDataSpec { Kind = "moons", Count = moonsCount, Noise = moonsNoise, Seed = moonsSeed };
        }
        if (string.Equals(text, FashionMnist.Name, StringComparison.OrdinalIgnoreCase))
        {
            if (fashionBlock < 1 || 28 % fashionBlock != 0)
            {
                throw new ArgumentException($"--fashion-block must divide 28 (1, 2, 4, 7, 14, 28), got {fashionBlock}");
            }
            if (fashionRows is < 2)
            {
                throw new ArgumentException($"--fashion-rows must be at least 2, got {fashionRows}");
            }
            return new VbuDataSpec
            {
                Kind = FashionMnist.Name,
                Block = fashionBlock,
                Path = System.IO.Path.GetFullPath(fashionDirectory ?? FashionMnist.DefaultDirectory),
                Classes = fashionClasses is null ? null : string.Join(",", ParseClasses(fashionClasses)),
                Rows = fashionRows,
            };
        }
        if (text.StartsWith("csv:", StringComparison.OrdinalIgnoreCase) && text.Length > 4)
        {
            return new VbuDataSpec { Kind = "csv", Path = System.IO.Path.GetFullPath(text[4..]) };
        }
        throw new ArgumentException($"unknown --data '{text}'; valid: moons, fashion-mnist, csv:FILE");
    }

    /// <summary>Reads the rows (all of them; runs exclude or select ids afterwards).</summary>
    public ClassificationData Load() => Kind switch
    {
        "moons" => TwoMoons.Generate(Count ?? 200, Noise ?? 0.2, Seed ?? 0),
        "fashion-mnist" => Subset(FashionMnistFeatures.Load(DatasetSplit.Train, Block ?? FashionMnistFeatures.DefaultBlock, Path)),
        "csv" => ClassificationCsv.Read(Path ?? throw new InvalidDataException("a csv data spec lacks its path")),
        _ => throw new InvalidDataException($"unknown data kind '{Kind}' in a saved run; valid: moons, fashion-mnist, csv"),
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Parses a class list such as <c>0,6</c>: distinct Fashion-MNIST labels 0..9, at least two.</summary>
    public static int[] ParseClasses(string text)
    {
        string[] tokens = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] classes = new int[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!int.TryParse(tokens[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out classes[i]) || classes[i] < 0 || classes[i] > 9)
            {
                throw new ArgumentException($"--fashion-classes: '{tokens[i]}' is not a Fashion-MNIST label (0..9: {string.Join(", ", FashionMnist.ClassNames.Select((n, k) => $"{k} {n}"))})");
            }
        }
        if (classes.Length < 2 || classes.Distinct().Count() != classes.Length)
        {
            throw new ArgumentException($"--fashion-classes needs at least two distinct labels, got '{text}'");
        }
        return classes;
    }

    /// <summary>The rows of the kept classes (relabelled 0, 1, ... in the listed order), then a seeded subset of <see cref="Rows"/>; ids stay Fashion-MNIST's.</summary>
    private ClassificationData Subset(ClassificationData all)
    {
        if (Classes is null && Rows is null)
        {
            return all;
        }
        int[] classes = Classes is null ? Enumerable.Range(0, all.ClassCount).ToArray() : ParseClasses(Classes);
        var newLabel = new Dictionary<int, int>();
        for (int i = 0; i < classes.Length; i++)
        {
            newLabel[classes[i]] = i;
        }
        var kept = new List<int>();
        for (int i = 0; i < all.Count; i++)
        {
            if (newLabel.ContainsKey(all.Labels[i]))
            {
                kept.Add(i);
            }
        }
        if (Rows is int rows && rows < kept.Count)
        {
            // A seeded partial Fisher–Yates shuffle picks the rows; they are then kept in file order.
            int[] pool = kept.ToArray();
            var random = new Random(0);
            for (int i = 0; i < rows; i++)
            {
                int j = i + random.Next(pool.Length - i);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            kept = pool.Take(rows).Order().ToList();
        }
        int d = all.FeatureCount;
        var features = new double[(long)kept.Count * d];
        var labels = new int[kept.Count];
        var ids = new int[kept.Count];
        for (int r = 0; r < kept.Count; r++)
        {
            int i = kept[r];
            all.Features.Slice(i * d, d).CopyTo(features.AsSpan(r * d, d));
            labels[r] = newLabel[all.Labels[i]];
            ids[r] = all.Ids[i];
        }
        return new ClassificationData(features, labels, d, classes.Length, classes.Select(c => all.ClassNames[c]).ToArray(), ids);
    }

    public static VbuDataSpec FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<VbuDataSpec>(json, s_json) ?? throw new InvalidDataException($"{source}: empty data description");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: malformed data description: {e.Message}", e);
        }
    }

    public override string ToString() => Kind switch
    {
        "moons" => $"two moons ({Count} rows, noise {Noise?.ToString(CultureInfo.InvariantCulture)}, seed {Seed})",
        "fashion-mnist" => $"Fashion-MNIST train ({Block}x{Block} block means{(Classes is null ? "" : $", classes {Classes}")}{(Rows is null ? "" : $", {Rows} random rows")}) from {Path}",
        _ => $"CSV {Path}",
    };
}
