using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepUnlearn.Data.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data;

/// <summary>
/// An ImageNet-style folder, <c>root/&lt;class&gt;/&lt;image&gt;</c>, read as torchvision's ImageFolder reads it:
/// classes are the sub-folders sorted ordinally, each class's images are found recursively (folders in
/// sorted path order, files sorted), extensions <c>.jpg</c>, <c>.jpeg</c> and <c>.png</c> in any case.
/// Only the file list is built at construction; images are decoded by <see cref="Read"/> (in loader
/// workers), with the native shim's libjpeg-turbo and libpng, to RGB (or gray) uint8.
/// </summary>
public sealed class ImageFolderDataset : IVisionDataset
{
    private readonly string[] _files;
    private readonly int[] _labels;
    private readonly string[] _classNames;
    private readonly ImageChannels _channels;

    /// <summary>Scans <paramref name="root"/>.</summary>
    /// <param name="root">The folder whose sub-folders are the classes.</param>
    /// <param name="channels">RGB (default, as torchvision's <c>convert("RGB")</c>) or gray.</param>
    /// <param name="name">A name for reports; the folder's name by default.</param>
    /// <param name="normalization">Normalisation statistics; ImageNet's by default.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">No class folders, or a class folder without images.</exception>
    public ImageFolderDataset(string root, ImageChannels channels = ImageChannels.Rgb, string? name = null, ChannelStatistics? normalization = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (channels == ImageChannels.Keep)
        {
            throw new ArgumentException("an image folder needs a fixed channel count: ImageChannels.Rgb or ImageChannels.Gray", nameof(channels));
        }
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"image folder '{root}' does not exist; expected root/<class>/<image>.jpg|.jpeg|.png");
        }
        _channels = channels;
        Root = Path.GetFullPath(root);
        _classNames = Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (_classNames.Length == 0)
        {
            throw new InvalidDataException($"image folder '{Root}' has no class sub-folders; expected root/<class>/<image>.jpg|.jpeg|.png");
        }
        var files = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < _classNames.Length; c++)
        {
            string classFolder = Path.Combine(Root, _classNames[c]);
            int before = files.Count;
            IEnumerable<string> folders = Directory.GetDirectories(classFolder, "*", SearchOption.AllDirectories)
                .Prepend(classFolder)
                .Order(StringComparer.Ordinal);
            foreach (string folder in folders)
            {
                foreach (string file in Directory.GetFiles(folder).Where(IsImageFile).Order(StringComparer.Ordinal))
                {
                    files.Add(file);
                    labels.Add(c);
                }
            }
            if (files.Count == before)
            {
                throw new InvalidDataException($"class folder '{classFolder}' holds no images; supported extensions: {string.Join(", ", Extensions)} (any case)");
            }
        }
        _files = files.ToArray();
        _labels = labels.ToArray();
        Name = name ?? Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar));
        Normalization = normalization ?? (channels == ImageChannels.Rgb ? ChannelStatistics.ImageNet : ChannelStatistics.Identity(1));
        if (Normalization.Channels != Channels)
        {
            throw new ArgumentException($"normalisation has {Normalization.Channels} channels, the images are read with {Channels}", nameof(normalization));
        }
        DataLog.FolderScanned(logger ?? NullLogger.Instance, Root, _files.Length, _classNames.Length);
    }

    /// <summary>The image extensions recognised (compared case-insensitively).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png"];

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count => _files.Length;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc />
    public int NumClasses => _classNames.Length;

    /// <inheritdoc />
    public int Channels => (int)_channels;

    /// <summary>0: folder images differ in size; transforms give them a common one.</summary>
    public int Height => 0;

    /// <summary>0: folder images differ in size; transforms give them a common one.</summary>
    public int Width => 0;

    /// <inheritdoc />
    public ChannelStatistics Normalization { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<int> Labels => _labels;

    /// <summary>The image files, by id.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc />
    public int Label(int id)
    {
        CheckId(id);
        return _labels[id];
    }

    /// <summary>The file of sample <paramref name="id"/>.</summary>
    public string FilePath(int id)
    {
        CheckId(id);
        return _files[id];
    }

    /// <summary>Decodes sample <paramref name="id"/>'s file into <paramref name="destination"/> (uint8 CHW).</summary>
    /// <exception cref="InvalidDataException">The file is missing, truncated or not a JPEG/PNG; the message names it.</exception>
    public void Read(int id, ImageBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ImageCodec.ReadFile(FilePath(id), destination, _channels);
    }

    private static bool IsImageFile(string path)
    {
        string extension = Path.GetExtension(path);
        return Extensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase));
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_files.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"sample id out of range: {Name} has ids 0..{_files.Length - 1}");
        }
    }
}
