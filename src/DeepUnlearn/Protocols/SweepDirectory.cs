using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepUnlearn.Data;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The layout of a sweep's output directory: <c>protocol.json</c> (the resolved recipe and its hash; one recipe per
/// directory), <c>cells/{id}/</c> (one published directory per cell: <c>manifest.json</c>, <c>metrics.json</c>),
/// <c>cells/.locks/</c>, <c>selections.json</c> (the hyper-parameter search's choices) and, unless placed elsewhere,
/// <c>oracles/</c> (the artefact store).
/// </summary>
public static class SweepDirectory
{
    /// <summary>The protocol file's name.</summary>
    public const string ProtocolFile = "protocol.json";

    /// <summary>The cell manifest's name.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>The cell metrics' name.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>The selections file's name.</summary>
    public const string SelectionsFile = "selections.json";

    /// <summary>The schema of <c>protocol.json</c>.</summary>
    public const string SchemaId = "deepunlearn.sweep/1";

    // What a sweep directory may hold besides hidden files (temporaries, locks), for Initialize's check.
    private static readonly HashSet<string> s_layout = new(StringComparer.Ordinal) { ProtocolFile, SelectionsFile, "cells", "oracles", "leaderboard" };

    /// <summary>The cells' parent directory.</summary>
    public static string Cells(string root) => Path.Combine(root, "cells");

    /// <summary>A cell's published directory.</summary>
    public static string Cell(string root, string cellId) => Path.Combine(Cells(root), cellId);

    /// <summary>A cell's lock file.</summary>
    public static string CellLock(string root, string cellId) => Path.Combine(Cells(root), ".locks", cellId + ".lock");

    /// <summary>The default artefact store of a sweep.</summary>
    public static string Oracles(string root) => Path.Combine(root, "oracles");

    /// <summary>
    /// Records <paramref name="recipe"/> as this directory's protocol, or checks that the one recorded is the same
    /// (same hash); a directory never mixes protocols.
    /// </summary>
    /// <exception cref="InvalidOperationException">The directory holds another recipe or scale.</exception>
    public static void Initialize(string root, ProtocolRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        string path = Path.Combine(root, ProtocolFile);
        if (!File.Exists(path) && Directory.Exists(root))
        {
            // A sweep directory is one sweep's (shards of it run side by side, each cell under its own lock), never a
            // folder holding something else: a training run's files would end up beside cells and a protocol.
            string[] foreign = Directory.EnumerateFileSystemEntries(root)
                .Select(e => Path.GetFileName(e))
                .Where(name => !name.StartsWith('.') && !s_layout.Contains(name))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (foreign.Length > 0)
            {
                throw new IOException($"--out '{root}' holds files that are not a sweep's ({string.Join(", ", foreign.Take(5))}{(foreign.Length > 5 ? ", …" : string.Empty)}); choose a new or empty directory (a sweep directory is resumed by running the same recipe into it again)");
            }
        }
        Directory.CreateDirectory(Cells(root));
        var json = new JsonObject
        {
            ["schema"] = SchemaId,
            ["recipe_hash"] = recipe.Hash,
            ["recipe"] = recipe.ToJson(),
        };
        if (!File.Exists(path))
        {
            string temp = AtomicFile.TemporaryPathFor(path);
            File.WriteAllText(temp, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            try
            {
                // No overwrite: when shards start together, the first one's copy stays (they are identical).
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        ProtocolRecipe recorded = LoadProtocol(root);
        if (recorded.Hash != recipe.Hash)
        {
            throw new InvalidOperationException(
                $"'{root}' holds a sweep of recipe '{recorded.Name}' at scale {recorded.Scale} (hash {recorded.ShortHash}); recipe '{recipe.Name}' at scale {recipe.Scale} has hash {recipe.ShortHash}. A directory holds one protocol: use another --out.");
        }
    }

    /// <summary>The recipe recorded in a sweep directory.</summary>
    /// <exception cref="FileNotFoundException">Not a sweep directory.</exception>
    public static ProtocolRecipe LoadProtocol(string root)
    {
        string path = Path.Combine(root, ProtocolFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{root}' is not a sweep directory (no {ProtocolFile}); give the --out directory of 'deepunlearn sweep'", path);
        }
        JsonNode? node = JsonNode.Parse(InputFile.ReadAllText(path, "sweep protocol file", 16L << 20));
        if (node?["schema"]?.GetValue<string>() != SchemaId || node["recipe"] is not JsonObject recipe)
        {
            throw new InvalidDataException($"'{path}' is not a {SchemaId} file");
        }
        ProtocolRecipe parsed = RecipeParser.Parse(recipe.ToJsonString(), path);
        string? recorded = node["recipe_hash"]?.GetValue<string>();
        if (recorded != parsed.Hash)
        {
            throw new InvalidDataException($"'{path}': the recorded hash {recorded} is not the recipe's ({parsed.Hash}); the file was edited");
        }
        return parsed;
    }

    /// <summary>The published cell at <paramref name="directory"/>, or null when absent or unreadable.</summary>
    public static CellRecord? ReadCell(string directory)
    {
        string manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            return null;
        }
        try
        {
            CellManifest manifest = JsonFile.Read<CellManifest>(manifestPath);
            string metricsPath = Path.Combine(directory, MetricsFile);
            CellMetrics? metrics = manifest.Status == CellManifest.StatusOk && File.Exists(metricsPath) ? JsonFile.Read<CellMetrics>(metricsPath) : null;
            return new CellRecord(directory, manifest, metrics);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Every published cell of a sweep directory, by id.</summary>
    public static IReadOnlyDictionary<string, CellRecord> ReadCells(string root)
    {
        var result = new SortedDictionary<string, CellRecord>(StringComparer.Ordinal);
        if (!Directory.Exists(Cells(root)))
        {
            return result;
        }
        foreach (string directory in Directory.EnumerateDirectories(Cells(root)).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            if (ReadCell(directory) is CellRecord cell)
            {
                result[cell.Manifest.CellId] = cell;
            }
        }
        return result;
    }

    /// <summary>
    /// Moves the finished cell in <paramref name="temp"/> to <paramref name="final"/> by one rename, replacing an
    /// earlier (failed) copy; readers see the old cell or the new one, never a mixture.
    /// </summary>
    public static void Publish(string temp, string final)
    {
        if (Directory.Exists(final))
        {
            string trash = Path.Combine(Path.GetDirectoryName(final)!, $".trash-{Path.GetFileName(final)}-{Guid.NewGuid():N}");
            Directory.Move(final, trash);
            Directory.Delete(trash, recursive: true);
        }
        Directory.Move(temp, final);
    }

    /// <summary>Cells of <paramref name="cells"/> keyed by id restricted to <paramref name="ids"/>.</summary>
    internal static IEnumerable<CellRecord> Only(IReadOnlyDictionary<string, CellRecord> cells, IEnumerable<string> ids) =>
        ids.Select(id => cells.TryGetValue(id, out CellRecord? c) ? c : null).OfType<CellRecord>();
}
