using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data;

/// <summary>File-finding and checking helpers shared by the dataset readers.</summary>
internal static class DatasetFiles
{
    /// <summary>
    /// The folder holding <paramref name="required"/>: <paramref name="directory"/> itself, or its
    /// <paramref name="conventionalSubfolder"/> (the folder the official archive extracts to).
    /// Throws naming the missing files and everything the format expects.
    /// </summary>
    public static string Resolve(string directory, string conventionalSubfolder, IReadOnlyList<string> required, IReadOnlyList<string> expected, string format)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{format}: directory '{directory}' does not exist; expected a folder holding {string.Join(", ", expected)}");
        }
        string nested = Path.Combine(directory, conventionalSubfolder);
        if (!required.All(f => File.Exists(Path.Combine(directory, f))) && Directory.Exists(nested) &&
            required.All(f => File.Exists(Path.Combine(nested, f))))
        {
            return nested;
        }
        string[] missing = required.Where(f => !File.Exists(Path.Combine(directory, f))).ToArray();
        if (missing.Length > 0)
        {
            throw new FileNotFoundException(
                $"{format}: missing {string.Join(", ", missing)} in '{directory}'; the format expects {string.Join(", ", expected)}",
                Path.Combine(directory, missing[0]));
        }
        return directory;
    }

    /// <summary>Class names from a text file, one per line, blank lines ignored.</summary>
    public static string[] ReadNames(string path)
    {
        string[] names = InputFile.ReadAllLines(path, "class-name file", 16L << 20).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0)
        {
            throw new InvalidDataException($"{path}: holds no class names (expected one name per line)");
        }
        // Two labels with one name cannot be told apart by name (forget requests, reports, checkpoints' class lists).
        var duplicates = names.Select((n, i) => (n, i)).GroupBy(p => p.n, StringComparer.Ordinal).Where(g => g.Count() > 1).ToArray();
        if (duplicates.Length > 0)
        {
            throw new InvalidDataException(
                $"{path}: class names must be unique, but {string.Join("; ", duplicates.Select(g => $"'{g.Key}' names labels {string.Join(" and ", g.Select(p => p.i))}"))}");
        }
        return names;
    }
}
