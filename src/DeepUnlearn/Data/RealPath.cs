using System;
using System.Collections.Generic;
using System.IO;

namespace DeepUnlearn.Data;

/// <summary>
/// The canonical path of a file or folder with every symbolic link resolved (POSIX <c>realpath</c>, in managed code):
/// two paths name the same file exactly when their real paths are equal, which is how the image-folder scan detects a
/// directory link that loops back or a second link to something already counted.
/// </summary>
internal static class RealPath
{
    /// <summary>Links followed before giving up, as Linux's ELOOP limit.</summary>
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/> (which need not exist past its links).</summary>
    /// <exception cref="IOException">More than 40 links in a row (a link cycle).</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return full;
        }
        var pending = new Stack<string>();
        Push(pending, full);
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            string candidate = "/" + string.Join('/', resolved) + (resolved.Count > 0 ? "/" : string.Empty) + part;
            string? target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException($"'{path}': more than {MaxLinks} symbolic links in a row (a link cycle)");
            }
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }
            Push(pending, target);
        }
        return "/" + string.Join('/', resolved);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it (both real paths).</summary>
    public static bool IsWithin(string path, string folder) =>
        string.Equals(path, folder, StringComparison.Ordinal) ||
        path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    private static void Push(Stack<string> pending, string path)
    {
        string[] parts = path.Split('/');
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
