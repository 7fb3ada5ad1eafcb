using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// Every file under a folder with its SHA-256 (a symlink as its target, unfollowed), so a test can assert that a failed
/// command left the disk as it found it. Folders alone are not recorded (a claimed, still empty --out may remain).
/// </summary>
internal static class FileTreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(path);
            string key = Path.GetRelativePath(root, path);
            if (info.LinkTarget is string target)
            {
                files[key] = "-> " + target;
            }
            else if (File.Exists(path))
            {
                using FileStream stream = File.OpenRead(path);
                files[key] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }
        return files;
    }

    /// <summary>What differs between two snapshots, for assertion messages.</summary>
    public static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join(", ", before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.GetValueOrDefault(k) ?? "(none)"} -> {after.GetValueOrDefault(k) ?? "(none)"}"));
}
