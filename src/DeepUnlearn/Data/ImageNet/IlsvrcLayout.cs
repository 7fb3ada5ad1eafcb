using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// Where the parts of an ILSVRC-2012 (ImageNet-1k) copy are: the training folders by wnid, the validation images and
/// what labels them, and a wnid → name mapping. Understands the layouts it is distributed in: the official archives
/// extracted under one root (<c>train/</c>, <c>val/</c>, <c>ILSVRC2012_devkit_t12/</c>), torchvision's (<c>val/</c> by
/// wnid) and the Kaggle challenge's (<c>ILSVRC/Data/CLS-LOC/{train,val}</c> beside <c>LOC_val_solution.csv</c> and
/// <c>LOC_synset_mapping.txt</c>).
/// </summary>
public sealed class IlsvrcLayout
{
    /// <summary>The Kaggle challenge's wnid → name file.</summary>
    public const string LocSynsetMappingFileName = "LOC_synset_mapping.txt";

    /// <summary>The devkit's folder name when its archive is extracted.</summary>
    public const string DevkitFolderName = "ILSVRC2012_devkit_t12";

    /// <summary>The devkit's class metadata file (in its <c>data/</c> folder).</summary>
    public const string MetaFileName = "meta.mat";

    private IlsvrcLayout(string root, string train, string val, ValidationLayout validation)
    {
        Root = root;
        TrainDirectory = train;
        ValDirectory = val;
        Validation = validation;
    }

    /// <summary>The root given.</summary>
    public string Root { get; }

    /// <summary>The folder of training class folders (<c>train/&lt;wnid&gt;/</c>).</summary>
    public string TrainDirectory { get; }

    /// <summary>The validation folder.</summary>
    public string ValDirectory { get; }

    /// <summary>How the validation images are labelled.</summary>
    public ValidationLayout Validation { get; }

    /// <summary>The devkit's <c>ILSVRC2012_validation_ground_truth.txt</c>, when found.</summary>
    public string? GroundTruthFile { get; private init; }

    /// <summary>The devkit's <c>meta.mat</c>, when found.</summary>
    public string? MetaFile { get; private init; }

    /// <summary><c>LOC_val_solution.csv</c>, when found.</summary>
    public string? LocSolutionFile { get; private init; }

    /// <summary><c>LOC_synset_mapping.txt</c>, when found.</summary>
    public string? SynsetMappingFile { get; private init; }

    /// <summary>Finds the parts of the ILSVRC-2012 copy under <paramref name="root"/>.</summary>
    /// <param name="root">The folder holding <c>train/</c> (or the Kaggle layout's root).</param>
    /// <param name="devkit">The devkit folder (or its <c>data/</c> folder); searched under the root when null.</param>
    /// <param name="locSolution"><c>LOC_val_solution.csv</c>; searched under the root when null.</param>
    /// <param name="synsetMapping"><c>LOC_synset_mapping.txt</c>; searched under the root when null.</param>
    /// <exception cref="DirectoryNotFoundException">The root, its training folder or its validation folder is missing; the message says where it looked.</exception>
    /// <exception cref="FileNotFoundException">A file given explicitly is missing, or a flat validation folder has nothing to label it.</exception>
    public static IlsvrcLayout Locate(string root, string? devkit = null, string? locSolution = null, string? synsetMapping = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        const string Expected = "expected ILSVRC-2012 as ROOT/train/<wnid>/*.JPEG and ROOT/val/ (or the Kaggle layout ROOT/ILSVRC/Data/CLS-LOC/{train,val})";
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"ImageNet folder '{root}' does not exist; {Expected}");
        }
        root = Path.GetFullPath(root);
        string[] bases = [root, Path.Combine(root, "ILSVRC", "Data", "CLS-LOC"), Path.Combine(root, "Data", "CLS-LOC")];
        string? baseDirectory = bases.FirstOrDefault(b => Directory.Exists(Path.Combine(b, "train")));
        if (baseDirectory is null)
        {
            throw new DirectoryNotFoundException($"ImageNet folder '{root}' has no training folder; looked for {string.Join(", ", bases.Select(b => Path.Combine(b, "train")))}; {Expected}");
        }
        string train = Path.Combine(baseDirectory, "train");
        string val = Path.Combine(baseDirectory, "val");
        if (!Directory.Exists(val))
        {
            throw new DirectoryNotFoundException($"ImageNet folder '{root}' has no validation folder {val} beside {train}; {Expected}");
        }
        string[] searched = baseDirectory == root ? [root] : [root, baseDirectory];

        string? mapping = Explicit(synsetMapping, "--synset-mapping") ?? Find(searched, LocSynsetMappingFileName);
        string? solution = Explicit(locSolution, "--val-solution") ?? Find(searched, ValidationLabelFiles.LocSolutionFileName);
        string? groundTruth = null, meta = null;
        if (devkit is not null)
        {
            if (!Directory.Exists(devkit))
            {
                throw new DirectoryNotFoundException($"devkit folder '{devkit}' does not exist; expected {DevkitFolderName}/ holding data/{MetaFileName} and data/{ValidationLabelFiles.GroundTruthFileName}");
            }
            string data = Directory.Exists(Path.Combine(devkit, "data")) ? Path.Combine(devkit, "data") : devkit;
            groundTruth = Path.Combine(data, ValidationLabelFiles.GroundTruthFileName);
            meta = Path.Combine(data, MetaFileName);
            string[] missing = new[] { groundTruth, meta }.Where(f => !File.Exists(f)).ToArray();
            if (missing.Length > 0)
            {
                throw new FileNotFoundException($"devkit folder '{devkit}' lacks {string.Join(" and ", missing)}; the devkit (ILSVRC2012_devkit_t12.tar.gz) holds both in data/", missing[0]);
            }
        }
        else
        {
            foreach (string folder in searched.SelectMany(s => new[] { Path.Combine(s, DevkitFolderName, "data"), Path.Combine(s, "devkit", "data"), s }))
            {
                string candidateTruth = Path.Combine(folder, ValidationLabelFiles.GroundTruthFileName);
                string candidateMeta = Path.Combine(folder, MetaFileName);
                if (File.Exists(candidateMeta) && meta is null)
                {
                    meta = candidateMeta;
                }
                if (File.Exists(candidateTruth) && File.Exists(candidateMeta))
                {
                    (groundTruth, meta) = (candidateTruth, candidateMeta);
                    break;
                }
            }
        }

        ValidationLayout layout;
        bool classFolders = Directory.EnumerateDirectories(val).Any(d => ImageNetClassList.IsWnid(Path.GetFileName(d)));
        if (classFolders)
        {
            layout = ValidationLayout.ClassFolders;
        }
        else if (solution is not null && locSolution is not null)
        {
            layout = ValidationLayout.LocSolution;
        }
        else if (groundTruth is not null)
        {
            layout = ValidationLayout.DevkitGroundTruth;
        }
        else if (solution is not null)
        {
            layout = ValidationLayout.LocSolution;
        }
        else
        {
            string lookedIn = string.Join(", ", searched.Select(s => Path.Combine(s, DevkitFolderName, "data")).Concat(searched));
            throw new FileNotFoundException(
                $"validation folder {val} has no <wnid>/ class folders, and nothing labels its flat images: found neither the devkit's " +
                $"{ValidationLabelFiles.GroundTruthFileName} with {MetaFileName} nor {ValidationLabelFiles.LocSolutionFileName} (looked in {lookedIn}); " +
                "give --devkit DIR (the extracted ILSVRC2012_devkit_t12) or --val-solution FILE",
                Path.Combine(val, ValidationLabelFiles.GroundTruthFileName));
        }
        return new IlsvrcLayout(root, train, val, layout)
        {
            GroundTruthFile = groundTruth,
            MetaFile = meta,
            LocSolutionFile = solution,
            SynsetMappingFile = mapping,
        };
    }

    private static string? Explicit(string? path, string option)
    {
        if (path is null)
        {
            return null;
        }
        return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{option}: '{path}' does not exist", path);
    }

    private static string? Find(IEnumerable<string> folders, string name) =>
        folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
}
