using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data;

/// <summary>
/// One class folder's image files for <see cref="ImageFolderDataset"/>, in torchvision's order (folders in sorted path
/// order, files sorted within each), following symbolic links except where that would loop or mislabel. Folders and
/// files are compared by real path (<see cref="RealPath"/>); the sets of folders scanned and files counted are shared by
/// every class of the dataset, so nothing is counted twice.
/// </summary>
internal sealed class ImageFolderScan(
    string rootReal,
    IReadOnlyList<string> classReals,
    int classIndex,
    IReadOnlyList<string> classNames,
    HashSet<string> scannedFolders,
    Dictionary<string, string> countedFiles,
    List<string> skipped,
    ILogger logger)
{
    /// <summary>The image files of the class folder <paramref name="classFolder"/>.</summary>
    public IEnumerable<string> Files(string classFolder)
    {
        var folders = new List<(string Path, string Real)>();
        Walk(classFolder, classReals[classIndex], folders);
        var result = new List<string>();
        foreach (var (folder, folderReal) in folders.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(folder).Where(ImageFolderDataset.IsImageFile).Order(StringComparer.Ordinal))
            {
                bool link = new FileInfo(file).LinkTarget is not null;
                string real = link ? RealPath.Of(file) : Path.Combine(folderReal, Path.GetFileName(file));
                string? reason = countedFiles.TryGetValue(real, out string? first)
                    ? $"the same file as '{first}', already counted"
                    : link ? OtherClass(real) : null;
                if (reason is not null)
                {
                    Skip(file, reason);
                    continue;
                }
                countedFiles[real] = file;
                result.Add(file);
            }
        }
        return result;
    }

    private void Walk(string folder, string real, List<(string Path, string Real)> folders)
    {
        scannedFolders.Add(real);
        folders.Add((folder, real));
        foreach (string sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            bool link = new FileInfo(sub).LinkTarget is not null;
            string subReal;
            try
            {
                subReal = link ? RealPath.Of(sub) : Path.Combine(real, Path.GetFileName(sub));
            }
            catch (IOException e)
            {
                Skip(sub, e.Message);
                continue;
            }
            string? reason = scannedFolders.Contains(subReal)
                ? $"a symbolic link back to '{subReal}', already scanned (a loop, or a second link to one folder)"
                : link && RealPath.IsWithin(rootReal, subReal)
                    ? $"a symbolic link to '{subReal}', the dataset root or a folder above it (a loop)"
                    : link && RealPath.IsWithin(classReals[classIndex], subReal)
                        ? $"a symbolic link to '{subReal}', a folder above its class folder (a loop)"
                        : link ? OtherClass(subReal) : null;
            if (reason is not null)
            {
                Skip(sub, reason);
                continue;
            }
            Walk(sub, subReal, folders);
        }
    }

    /// <summary>Why a link to <paramref name="real"/> is skipped when it lies in another class's folder; null otherwise.</summary>
    private string? OtherClass(string real)
    {
        for (int c = 0; c < classReals.Count; c++)
        {
            if (c != classIndex && RealPath.IsWithin(real, classReals[c]))
            {
                return $"a symbolic link into class '{classNames[c]}' ('{real}'); its images would be labelled '{classNames[classIndex]}'";
            }
        }
        return null;
    }

    private void Skip(string path, string reason)
    {
        skipped.Add($"{path}: {reason}");
        DataLog.LinkSkipped(logger, path, reason);
    }
}
