using System;
using System.Globalization;
using System.IO;
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

    /// <summary>Parses <c>moons</c>, <c>fashion-mnist</c> or <c>csv:FILE</c> with the per-source settings.</summary>
    public static VbuDataSpec Parse(string text, int moonsCount, double moonsNoise, int moonsSeed, int fashionBlock, string? fashionDirectory)
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
            return new VbuDataSpec
            {
                Kind = FashionMnist.Name,
                Block = fashionBlock,
                Path = System.IO.Path.GetFullPath(fashionDirectory ?? FashionMnist.DefaultDirectory),
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
        "fashion-mnist" => FashionMnistFeatures.Load(DatasetSplit.Train, Block ?? FashionMnistFeatures.DefaultBlock, Path),
        "csv" => ClassificationCsv.Read(Path ?? throw new InvalidDataException("a csv data spec lacks its path")),
        _ => throw new InvalidDataException($"unknown data kind '{Kind}' in a saved run; valid: moons, fashion-mnist, csv"),
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

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
        "fashion-mnist" => $"Fashion-MNIST train ({Block}x{Block} block means) from {Path}",
        _ => $"CSV {Path}",
    };
}
