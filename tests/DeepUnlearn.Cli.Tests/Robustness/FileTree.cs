using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>What is on disk under a folder (relative path → SHA-256 of the content), to assert that a refused run changed nothing.</summary>
internal static class FileTree
{
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return result;
        }
        foreach (string file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            result[Path.GetRelativePath(root, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return result;
    }

    /// <summary>The files under <paramref name="root"/> whose names end in <paramref name="suffix"/> (checkpoints, metrics).</summary>
    public static string[] Named(string root, string suffix) =>
        Directory.Exists(root) ? Directory.EnumerateFiles(root, "*" + suffix, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToArray() : [];
}
