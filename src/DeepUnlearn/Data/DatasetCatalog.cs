using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepUnlearn.Data.Imaging;
using DeepUnlearn.Data.Packed;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data;

/// <summary>
/// Opens datasets by specification, <c>name</c> or <c>name:DIR</c>, as the CLI's <c>--dataset</c> gives them:
/// <list type="bullet">
/// <item><c>fashion-mnist</c> (built in, Debian's dataset-fashion-mnist) or <c>fashion-mnist:DIR</c>;</item>
/// <item><c>cifar10:DIR</c>, <c>cifar100:DIR</c> (fine labels), <c>cifar100-coarse:DIR</c> (binary versions);</item>
/// <item><c>idx:DIR</c> (MNIST-style IDX files, classes named by label);</item>
/// <item><c>folder:DIR</c> (ImageNet-style; DIR/train and DIR/val or DIR/test when present, else DIR is the training split);</item>
/// <item><c>packed:DIR</c> (the same folder decoded once by <c>deepunlearn data pack</c>: DIR/train.dupack and DIR/val.dupack or DIR/test.dupack;
/// ids, labels and classes as <c>folder:</c> gives them).</item>
/// </list>
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The recognised dataset names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "cifar10", "cifar100", "cifar100-coarse", "idx", "folder", "packed"];

    /// <summary>The default dataset (available offline on Debian).</summary>
    public const string Default = FashionMnist.Name;

    /// <summary>Opens split <paramref name="split"/> of the dataset <paramref name="specification"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones) or a missing directory part.</exception>
    public static IVisionDataset Open(string specification, DatasetSplit split, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specification);
        int colon = specification.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? specification : specification[..colon]).Trim().ToLowerInvariant();
        string? directory = colon < 0 ? null : specification[(colon + 1)..].Trim();
        if (directory is { Length: 0 })
        {
            directory = null;
        }
        ILogger? logger = loggerFactory?.CreateLogger(typeof(DatasetCatalog).FullName!);
        return name switch
        {
            "fashion-mnist" => FashionMnist.Load(split, directory, logger),
            "cifar10" => Cifar10.Load(Require(name, directory, "cifar-10-batches-bin"), split, logger),
            "cifar100" => Cifar100.Load(Require(name, directory, "cifar-100-binary"), split, Cifar100Labels.Fine, logger),
            "cifar100-coarse" => Cifar100.Load(Require(name, directory, "cifar-100-binary"), split, Cifar100Labels.Coarse, logger),
            "idx" => IdxDataset.Load(Require(name, directory, "mnist"), split, logger: logger),
            "folder" => OpenFolder(Require(name, directory, "imagenet-100"), split, logger),
            "packed" => OpenPacked(Require(name, directory, "imagenet-100-packed"), split, logger),
            _ => throw new ArgumentException(
                $"unknown dataset '{name}'; valid: {string.Join(", ", Names)} (as name or name:DIR)", nameof(specification)),
        };
    }

    private static string Require(string name, string? directory, string example) =>
        directory ?? throw new ArgumentException($"dataset '{name}' needs a directory: {name}:/path/to/{example}", nameof(directory));

    private static PackedDataset OpenPacked(string directory, DatasetSplit split, ILogger? logger)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"packed store folder '{directory}' does not exist; make one with 'deepunlearn data pack --folder DIR --out {directory}'");
        }
        string[] candidates = split == DatasetSplit.Train ? ["train"] : ["val", "test"];
        string? file = candidates.Select(c => Path.Combine(directory, c + PackedDataset.Extension)).FirstOrDefault(File.Exists);
        return file is not null
            ? PackedDataset.Open(file, logger)
            : throw new FileNotFoundException(
                $"packed store folder '{directory}' has no {string.Join(" or ", candidates.Select(c => c + PackedDataset.Extension))} for the {split.ToString().ToLowerInvariant()} split; " +
                $"make them with 'deepunlearn data pack --folder DIR --out {directory}'",
                Path.Combine(directory, candidates[0] + PackedDataset.Extension));
    }

    private static ImageFolderDataset OpenFolder(string directory, DatasetSplit split, ILogger? logger)
    {
        string[] candidates = split == DatasetSplit.Train ? ["train"] : ["val", "test"];
        string? sub = candidates.Select(c => Path.Combine(directory, c)).FirstOrDefault(Directory.Exists);
        if (sub is not null)
        {
            return new ImageFolderDataset(sub, ImageChannels.Rgb, Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)), logger: logger);
        }
        if (split == DatasetSplit.Train && !Directory.Exists(Path.Combine(directory, "val")) && !Directory.Exists(Path.Combine(directory, "test")))
        {
            return new ImageFolderDataset(directory, ImageChannels.Rgb, logger: logger);
        }
        throw new DirectoryNotFoundException(
            $"image folder '{directory}' has no {string.Join(" or ", candidates)}/ sub-folder for the {split.ToString().ToLowerInvariant()} split; expected DIR/train/<class>/... and DIR/val/<class>/...");
    }
}
