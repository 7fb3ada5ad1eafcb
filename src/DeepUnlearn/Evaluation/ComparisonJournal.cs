using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// The finished rows of a comparison, kept as they complete so that a failure late in a comparison loses none of them
/// (issue 13 item 0: a failure after 12 minutes of retraining kept nothing). Each finished row (the original, the retrain
/// per seed, "do nothing" per seed, each method per seed, each extra reference retrain of the attacks) is one JSON file,
/// written after the model and its sidecars it describes; a resumed comparison (<see cref="Open"/> with
/// <c>resume</c>) takes the rows it finds and runs only the missing ones.
/// </summary>
/// <remarks>
/// The folder holds <see cref="SettingsFileName"/>, the settings every row was made with (checkpoint and forget set
/// hashes, request, seeds, methods and their options, evaluation options, device, precision). A resume with other
/// settings is refused with the differences listed: a table must never mix rows made under two settings. Every write is
/// atomic (<see cref="AtomicFile"/>), and a row's JSON is written after its files, so a kill at any moment leaves rows
/// that are either whole or absent.
/// </remarks>
public sealed class ComparisonJournal
{
    /// <summary>The file that records the settings of the rows.</summary>
    public const string SettingsFileName = "settings.json";

    /// <summary>The row name of the original model (one per comparison, not per seed).</summary>
    public const string OriginalRow = "original";

    private readonly IReadOnlyDictionary<string, string> _settings;

    private ComparisonJournal(string path, IReadOnlyDictionary<string, string> settings)
    {
        Path = path;
        _settings = settings;
    }

    /// <summary>The journal's folder.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the journal in <paramref name="folder"/> for a comparison made with <paramref name="settings"/> (name →
    /// canonical value). A new comparison (<paramref name="resume"/> false) removes whatever an earlier one left there;
    /// a resumed one keeps the rows when the recorded settings are <paramref name="settings"/>, and starts empty when
    /// there is no journal yet.
    /// </summary>
    /// <exception cref="InvalidOperationException">Resuming, and the rows were made with other settings (the message lists each difference), or the journal's settings file is unreadable.</exception>
    public static ComparisonJournal Open(string folder, IReadOnlyDictionary<string, string> settings, bool resume)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(settings);
        string full = System.IO.Path.GetFullPath(folder);
        string settingsPath = System.IO.Path.Combine(full, SettingsFileName);
        if (resume && Directory.Exists(full))
        {
            Dictionary<string, string> saved;
            try
            {
                saved = JsonFile.Read<Dictionary<string, string>>(settingsPath);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                throw new InvalidOperationException($"cannot resume: the finished rows in '{full}' have no readable {SettingsFileName} ({e.Message}); pass --overwrite to start the comparison again", e);
            }
            IReadOnlyList<string> differences = Differences(saved, settings);
            if (differences.Count > 0)
            {
                throw new InvalidOperationException(
                    $"cannot resume: the finished rows in '{full}' were made with other settings: {string.Join("; ", differences)}. " +
                    "Run with the settings they were made with, or pass --overwrite to start the comparison again");
            }
            return new ComparisonJournal(full, settings);
        }
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        Directory.CreateDirectory(full);
        JsonFile.Write(settingsPath, new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal));
        return new ComparisonJournal(full, settings);
    }

    /// <summary>
    /// The settings that differ between <paramref name="saved"/> and <paramref name="current"/>, one sentence each
    /// ("seeds: the rows have 0,1, this run 0,2"; for JSON objects, the differing keys).
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> current)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(current);
        var result = new List<string>();
        foreach (string name in saved.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            string? was = saved.GetValueOrDefault(name);
            string? now = current.GetValueOrDefault(name);
            if (was == now)
            {
                continue;
            }
            if (was is null || now is null)
            {
                result.Add(was is null ? $"{name}: not in the rows' settings, this run has {Shorten(now!)}" : $"{name}: the rows have {Shorten(was)}, this run has none");
                continue;
            }
            IReadOnlyList<string>? keys = ObjectDifferences(was, now);
            result.Add(keys is { Count: > 0 }
                ? $"{name}: {string.Join(", ", keys)}"
                : $"{name}: the rows have {Shorten(was)}, this run {Shorten(now)}");
        }
        return result;
    }

    /// <summary>
    /// The finished row <paramref name="row"/> (a method label, <c>retrain</c>, <c>do nothing</c>, <c>reference</c> or
    /// <see cref="OriginalRow"/>) of <paramref name="seed"/> (null for the original), or null when it is not finished: no
    /// row, or a file the row lists is gone.
    /// </summary>
    public ComparisonJournalRow? Find(string row, ulong? seed)
    {
        string path = RowPath(row, seed);
        if (!File.Exists(path))
        {
            return null;
        }
        ComparisonJournalRow saved = JsonFile.Read<ComparisonJournalRow>(path);
        if (saved.Row != row || saved.Seed != seed)
        {
            throw new InvalidDataException($"'{path}' holds the row of {saved.Row} (seed {saved.Seed}), not {row} (seed {seed}); pass --overwrite to start the comparison again");
        }
        return saved.Files.All(f => File.Exists(System.IO.Path.Combine(Path, f))) ? saved : null;
    }

    /// <summary>The full path of a file a row lists.</summary>
    public string FilePath(string file) => System.IO.Path.Combine(Path, file);

    /// <summary>Where the model of <paramref name="row"/> and <paramref name="seed"/> goes (<c>{row}-seed{seed}.safetensors</c>).</summary>
    public string ModelPath(string row, ulong seed) => System.IO.Path.Combine(Path, $"{FileStem(row, seed)}.safetensors");

    /// <summary>
    /// Records a finished row: <paramref name="files"/> (paths inside <see cref="Path"/>: the model and its sidecars,
    /// already written) and then the row itself, atomically. Returns the row.
    /// </summary>
    public ComparisonJournalRow Record(string row, ulong? seed, UnlearningMetrics? metrics, IEnumerable<string>? files = null)
    {
        string[] relative = (files ?? []).Select(f => System.IO.Path.GetRelativePath(Path, f)).ToArray();
        if (relative.Any(f => f.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(f)))
        {
            throw new ArgumentException($"a row's files must be inside '{Path}'", nameof(files));
        }
        var saved = new ComparisonJournalRow(row, seed, metrics, relative);
        JsonFile.Write(RowPath(row, seed), saved);
        return saved;
    }

    /// <summary>Every finished row.</summary>
    public IReadOnlyList<ComparisonJournalRow> Rows() =>
        Directory.EnumerateFiles(Path, "*.json")
            .Where(f => System.IO.Path.GetFileName(f) != SettingsFileName)
            .Order(StringComparer.Ordinal)
            .Select(JsonFile.Read<ComparisonJournalRow>)
            .ToArray();

    /// <summary>The names of the finished rows' files (<c>original</c>, <c>retrain-seed0</c>, ...), for messages.</summary>
    public IReadOnlyList<string> Finished() =>
        Directory.EnumerateFiles(Path, "*.json")
            .Where(f => System.IO.Path.GetFileName(f) != SettingsFileName)
            .Select(System.IO.Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();

    private string RowPath(string row, ulong? seed) => System.IO.Path.Combine(Path, $"{FileStem(row, seed)}.json");

    // "famr@head" stays, "do nothing" becomes "do-nothing": the names of the files --save-models publishes.
    private static string FileStem(string row, ulong? seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(row);
        string slug = new(row.Select(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '_' or '-' ? c : '-').ToArray());
        return seed is ulong s ? $"{slug}-seed{s}" : slug;
    }

    private static IReadOnlyList<string>? ObjectDifferences(string was, string now)
    {
        try
        {
            if (JsonNode.Parse(was) is not JsonObject a || JsonNode.Parse(now) is not JsonObject b)
            {
                return null;
            }
            var keys = new List<string>();
            foreach (string key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                string x = a[key]?.ToJsonString() ?? "null";
                string y = b[key]?.ToJsonString() ?? "null";
                if (x != y)
                {
                    keys.Add($"{key} was {Shorten(x)}, now {Shorten(y)}");
                }
            }
            return keys;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "…";
}
