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
/// Symbolic links are followed as torchvision's <c>os.walk(followlinks=True)</c> does, except where following
/// them would count a file twice or under the wrong class: a link back to a folder already scanned (a loop), into
/// another class's folder or to the root or above, or to a file already counted is skipped, logged and listed in
/// <see cref="Skipped"/>.
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
        var skipped = new List<string>();
        ILogger log = logger ?? NullLogger.Instance;
        string rootReal = RealPath.Of(Root);
        string[] classReals = _classNames.Select(c => RealPath.Of(Path.Combine(Root, c))).ToArray();
        var scannedFolders = new HashSet<string>(StringComparer.Ordinal);
        var countedFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int c = 0; c < _classNames.Length; c++)
        {
            string classFolder = Path.Combine(Root, _classNames[c]);
            int before = files.Count;
            var scan = new ImageFolderScan(rootReal, classReals, c, _classNames, scannedFolders, countedFiles, skipped, log);
            foreach (string file in scan.Files(classFolder))
            {
                files.Add(file);
                labels.Add(c);
            }
            if (files.Count == before)
            {
                throw new InvalidDataException($"class folder '{classFolder}' holds no images; supported extensions: {string.Join(", ", Extensions)} (any case)" +
                    (skipped.Count > 0 ? $"; skipped: {string.Join("; ", skipped)}" : string.Empty));
            }
        }
        Skipped = skipped;
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

    /// <summary>
    /// What the scan left out, one line each (path and reason): symbolic links that loop back to a folder already
    /// scanned, lead into another class's folder or above the root, or name a file already counted. Also logged as
    /// warnings. Empty for an ordinary folder tree.
    /// </summary>
    public IReadOnlyList<string> Skipped { get; }

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

    internal static bool IsImageFile(string path)
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
