using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using DeepUnlearn.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// Builds a class subset of ILSVRC-2012 (by default ImageNet-100, <see cref="ImageNetClassList.ImageNet100"/>) as an
/// image folder the toolkit reads as <c>folder:DIR</c>: <c>DIR/train/&lt;wnid&gt;/</c> and <c>DIR/val/&lt;wnid&gt;/</c> with the
/// source's file names, <c>DIR/classes.txt</c> (label, wnid and name per line) and <c>DIR/imagenet-subset.json</c>.
/// Images are hard links to the source where the file system allows, copies otherwise.
/// <para>
/// Everything is checked before anything is written (<see cref="Plan"/>: missing classes, files and labels are
/// reported together, with counts). The build is atomic and resumable: it fills a hidden sibling folder
/// <c>.DIR.partial</c> and renames it to <c>DIR</c> at the end, so a partial build never looks complete; a rerun of the
/// same request after a crash keeps what is already in place and finishes the rest. One build at a time owns an output:
/// it holds an exclusive lock on <c>.DIR.lock</c> beside it (released, and the file removed, when the build ends or its
/// process dies), and a second build into the same <c>DIR</c> is refused at once instead of filling the same
/// <c>.DIR.partial</c> and renaming it from under the first.
/// </para>
/// </summary>
public static class ImageNetSubsetBuilder
{
    /// <summary>The class table written beside train/ and val/.</summary>
    public const string ClassesFileName = "classes.txt";

    /// <summary>The suffix of the lock file beside the output (<c>.DIR.lock</c>), held while a build runs.</summary>
    public const string LockSuffix = ".lock";

    private const string RequestFileName = "request.json";
    private const int ListedAtMost = 10;

    /// <summary>Locates the source and lists and checks everything the build needs, without writing.</summary>
    /// <exception cref="DirectoryNotFoundException">The source or one of its folders is missing.</exception>
    /// <exception cref="FileNotFoundException">A label or mapping file is missing.</exception>
    /// <exception cref="InvalidDataException">Classes, images or labels are missing (the message lists which and how many), or a label file is malformed.</exception>
    public static ImageNetSubsetPlan Plan(ImageNetSubsetOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        IlsvrcLayout layout = IlsvrcLayout.Locate(options.ImageNetRoot, options.DevkitDirectory, options.LocSolutionFile, options.SynsetMappingFile);
        ImageNetClassList list = options.Classes;
        string[] wnids = list.Wnids.Order(StringComparer.Ordinal).ToArray();

        // Training images: every class folder must exist and hold images.
        string[] missingTrain = wnids.Where(w => !Directory.Exists(Path.Combine(layout.TrainDirectory, w))).ToArray();
        if (missingTrain.Length > 0)
        {
            throw new InvalidDataException(
                $"{Count(missingTrain.Length, "class")} of the {list.Count} in {list.Source} {(missingTrain.Length == 1 ? "is" : "are")} missing from {layout.TrainDirectory}: " +
                $"{Listing(missingTrain)}; each class needs a folder train/<wnid>/ of JPEGs");
        }
        var train = wnids.ToDictionary(w => w, w => ImageFiles(Path.Combine(layout.TrainDirectory, w)), StringComparer.Ordinal);
        string[] emptyTrain = wnids.Where(w => train[w].Length == 0).ToArray();
        if (emptyTrain.Length > 0)
        {
            throw new InvalidDataException($"{Count(emptyTrain.Length, "training class folder")} under {layout.TrainDirectory} hold no images: {Listing(emptyTrain)}");
        }

        // Validation images, by the layout's labelling.
        SynsetNames? meta = null;
        Dictionary<string, string[]> val;
        string validationLabels;
        if (layout.Validation == ValidationLayout.ClassFolders)
        {
            validationLabels = $"class folders in {layout.ValDirectory}";
            string[] missingVal = wnids.Where(w => !Directory.Exists(Path.Combine(layout.ValDirectory, w))).ToArray();
            if (missingVal.Length > 0)
            {
                throw new InvalidDataException(
                    $"{Count(missingVal.Length, "class")} of the {list.Count} in {list.Source} {(missingVal.Length == 1 ? "is" : "are")} missing from {layout.ValDirectory}: {Listing(missingVal)}");
            }
            val = wnids.ToDictionary(w => w, w => ImageFiles(Path.Combine(layout.ValDirectory, w)), StringComparer.Ordinal);
        }
        else
        {
            Dictionary<string, string> labels;
            if (layout.Validation == ValidationLayout.DevkitGroundTruth)
            {
                meta = SynsetNames.ReadDevkitMeta(layout.MetaFile!);
                labels = ValidationLabelFiles.ReadGroundTruth(layout.GroundTruthFile!, meta);
                validationLabels = $"{layout.GroundTruthFile} with {layout.MetaFile}";
            }
            else
            {
                labels = ValidationLabelFiles.ReadLocSolution(layout.LocSolutionFile!);
                validationLabels = layout.LocSolutionFile!;
            }
            var wanted = new HashSet<string>(wnids, StringComparer.Ordinal);
            val = wnids.ToDictionary(w => w, _ => Array.Empty<string>(), StringComparer.Ordinal);
            foreach (IGrouping<string, string> group in labels.Where(l => wanted.Contains(l.Value)).GroupBy(l => l.Value, l => l.Key))
            {
                val[group.Key] = group.Select(f => Path.Combine(layout.ValDirectory, f)).Order(StringComparer.Ordinal).ToArray();
            }
            string[] missingFiles = val.Values.SelectMany(f => f).Where(f => !File.Exists(f)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
            if (missingFiles.Length > 0)
            {
                throw new InvalidDataException(
                    $"{Count(missingFiles.Length, "validation image")} that {validationLabels} labels with the requested classes {(missingFiles.Length == 1 ? "is" : "are")} missing from {layout.ValDirectory}: {Listing(missingFiles)}");
            }
        }
        string[] emptyVal = wnids.Where(w => val[w].Length == 0).ToArray();
        if (emptyVal.Length > 0)
        {
            throw new InvalidDataException($"{Count(emptyVal.Length, "class")} {(emptyVal.Length == 1 ? "has" : "have")} no validation images (labels from {validationLabels}): {Listing(emptyVal)}");
        }

        // Names: LOC_synset_mapping.txt, else the devkit's meta.mat, else the wnids.
        SynsetNames? names = layout.SynsetMappingFile is string mappingFile ? SynsetNames.ReadLocSynsetMapping(mappingFile)
            : meta ?? (layout.MetaFile is string metaFile ? SynsetNames.ReadDevkitMeta(metaFile) : null);
        if (names is null)
        {
            ImageNetLog.NoNames(logger, layout.Root);
        }
        else
        {
            string[] unnamed = wnids.Where(w => names.NameOf(w) is null).ToArray();
            if (unnamed.Length > 0)
            {
                throw new InvalidDataException($"{names.Source} has no name for {Count(unnamed.Length, "requested class")}: {Listing(unnamed)}; is it the ILSVRC-2012 mapping?");
            }
        }

        var classes = new List<ImageNetSubsetClass>(wnids.Length);
        var files = new List<(string, string)>();
        foreach (var (split, images) in new[] { ("train", train), ("val", val) })
        {
            foreach (string wnid in wnids)
            {
                files.AddRange(images[wnid].Select(f => (f, Path.Combine(split, wnid, Path.GetFileName(f)))));
            }
        }
        for (int label = 0; label < wnids.Length; label++)
        {
            string wnid = wnids[label];
            classes.Add(new ImageNetSubsetClass(label, wnid, names?.NameOf(wnid) ?? wnid, train[wnid].Length, val[wnid].Length));
        }
        return new ImageNetSubsetPlan(layout, list, classes, validationLabels, names?.Source, files);
    }

    /// <summary>
    /// Builds the subset (see the class summary). When <see cref="ImageNetSubsetOptions.OutputDirectory"/> is already a
    /// complete build of the same classes, returns at once with <see cref="ImageNetSubsetResult.AlreadyComplete"/>.
    /// </summary>
    /// <exception cref="IOException">The output exists and is something else, or an interrupted build of a different request is in the way; or a file operation failed.</exception>
    /// <exception cref="InvalidDataException">See <see cref="Plan"/>.</exception>
    public static ImageNetSubsetResult Build(ImageNetSubsetOptions options, IProgress<DataProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        string output = Path.GetFullPath(options.OutputDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        // Held until the build returns or throws: everything below (the checks too) is one build's.
        using FileStream held = Lock(output);
        string manifestPath = Path.Combine(output, ImageNetSubsetManifest.FileName);
        if (Directory.Exists(output))
        {
            if (File.Exists(manifestPath))
            {
                ImageNetSubsetManifest existing = JsonFile.Read<ImageNetSubsetManifest>(manifestPath);
                if (existing.Classes.Select(c => c.Wnid).Order(StringComparer.Ordinal).SequenceEqual(options.Classes.Wnids.Order(StringComparer.Ordinal)))
                {
                    return new ImageNetSubsetResult(output, existing, AlreadyComplete: true);
                }
                throw new IOException($"'{output}' already holds a build of other classes ({existing.ClassList}); choose another --out or remove it");
            }
            if (Directory.EnumerateFileSystemEntries(output).Any())
            {
                throw new IOException($"'{output}' exists and is not a finished subset build (no {ImageNetSubsetManifest.FileName}); choose another --out or remove it");
            }
        }

        ImageNetSubsetPlan plan = Plan(options, logger);
        string staging = Path.Combine(Path.GetDirectoryName(output) ?? ".", $".{Path.GetFileName(output)}.partial");
        var request = new BuildRequest(plan.Layout.Root, plan.Classes.Select(c => c.Wnid).ToArray(), plan.Files.Count);
        string requestPath = Path.Combine(staging, RequestFileName);
        if (Directory.Exists(staging))
        {
            BuildRequest? previous = File.Exists(requestPath) ? ReadRequest(requestPath) : null;
            if (previous is null || previous.Source != request.Source || !previous.Wnids.SequenceEqual(request.Wnids))
            {
                throw new IOException(
                    $"'{staging}' holds an interrupted build of another request ({(previous is null ? "unreadable" : $"{previous.Wnids.Length} classes from {previous.Source}")}); remove it to start over");
            }
            ImageNetLog.Resuming(logger, staging);
            foreach (string stale in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(FileLinker.PartialSuffix, StringComparison.Ordinal) || AtomicFile.IsTemporaryName(Path.GetFileName(f)))
                .ToList())
            {
                File.Delete(stale);
            }
        }
        else
        {
            Directory.CreateDirectory(staging);
            JsonFile.Write(requestPath, request);
        }

        int linked = 0, copied = 0, resumed = 0;
        bool linking = options.Placement != FilePlacement.Copy;
        var created = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < plan.Files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (source, relative) = plan.Files[i];
            string target = Path.Combine(staging, relative);
            string folder = Path.GetDirectoryName(target)!;
            if (created.Add(folder))
            {
                Directory.CreateDirectory(folder);
            }
            var existing = new FileInfo(target);
            if (existing.Exists)
            {
                if (existing.Length == new FileInfo(source).Length)
                {
                    resumed++;
                    Report(progress, i, plan.Files.Count);
                    continue;
                }
                existing.Delete();
            }
            if (linking)
            {
                string? failure = FileLinker.TryHardLink(source, target);
                if (failure is null)
                {
                    linked++;
                    Report(progress, i, plan.Files.Count);
                    continue;
                }
                if (options.Placement == FilePlacement.HardLink)
                {
                    throw new IOException($"cannot hard-link {source} to {target}: {failure}; hard links need the output on the same file system as the source (or use copies)");
                }
                ImageNetLog.CopyingInstead(logger, failure);
                linking = false;
            }
            FileLinker.CopyAtomically(source, target);
            copied++;
            Report(progress, i, plan.Files.Count);
        }

        var manifest = new ImageNetSubsetManifest
        {
            ClassList = plan.ClassList.Source,
            Classes = plan.Classes,
            Source = plan.Layout.Root,
            ValidationLabels = plan.ValidationLabels,
            NamesFrom = plan.NamesFrom,
            TrainImages = plan.Classes.Sum(c => c.TrainImages),
            ValImages = plan.Classes.Sum(c => c.ValImages),
            Linked = linked,
            Copied = copied,
            Resumed = resumed,
        };
        var table = new StringBuilder();
        foreach (ImageNetSubsetClass c in plan.Classes)
        {
            table.Append(c.Label).Append('\t').Append(c.Wnid).Append('\t').Append(c.Name).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(staging, ClassesFileName), table.ToString());
        File.Delete(requestPath);
        // Written last: its presence is what marks a build complete.
        JsonFile.Write(Path.Combine(staging, ImageNetSubsetManifest.FileName), manifest);
        if (Directory.Exists(output))
        {
            Directory.Delete(output); // Empty (checked above): make room for the rename.
        }
        Directory.Move(staging, output);
        ImageNetLog.Built(logger, output, manifest.TrainImages, manifest.ValImages, linked, copied, resumed);
        return new ImageNetSubsetResult(output, manifest, AlreadyComplete: false);
    }

    /// <summary>
    /// Takes the exclusive lock of <paramref name="output"/>: <c>.DIR.lock</c> in its parent folder (the output itself is
    /// renamed into place at the end, and its staging folder is a sibling too), as <see cref="RunDirectory"/> locks a run
    /// directory: <see cref="FileShare.None"/> is an advisory <c>flock</c> on Linux, released by the kernel with the process.
    /// </summary>
    private static FileStream Lock(string output)
    {
        string parent = Path.GetDirectoryName(output) ?? throw new IOException($"'{output}' is a file system root; give --out a folder to create");
        Directory.CreateDirectory(parent);
        string lockPath = Path.Combine(parent, $".{Path.GetFileName(output)}{LockSuffix}");
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new IOException($"another build is writing '{output}' (it holds {lockPath}); wait for it to finish (a rerun then finds the build complete), or choose another --out", e);
        }
    }

    private static void Report(IProgress<DataProgress>? progress, int index, int total)
    {
        if (progress is not null && ((index + 1) % 1024 == 0 || index + 1 == total))
        {
            progress.Report(new DataProgress("placing images", index + 1, total));
        }
    }

    private static BuildRequest? ReadRequest(string path)
    {
        try
        {
            return JsonFile.Read<BuildRequest>(path);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            return null;
        }
    }

    // The image files directly in a class folder, sorted (ILSVRC's class folders are flat).
    private static string[] ImageFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => ImageFolderDataset.Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string Count(int n, string noun) =>
        $"{n} {noun}{(n == 1 ? string.Empty : noun.EndsWith('s') ? "es" : "s")}";

    private static string Listing(IReadOnlyCollection<string> items) =>
        string.Join(", ", items.Take(ListedAtMost)) + (items.Count > ListedAtMost ? $" and {items.Count - ListedAtMost} more" : string.Empty);

    /// <summary>The request an interrupted build was for (in the staging folder), so a resume is of the same build.</summary>
    private sealed record BuildRequest(string Source, string[] Wnids, int Files);
}
