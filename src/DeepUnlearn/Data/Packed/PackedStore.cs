using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Data.Transforms;
using DeepUnlearn.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data.Packed;

/// <summary>
/// Writes packed stores: an image dataset decoded once, each image resized so its shorter side is
/// <see cref="PackOptions.ShortSide"/> and rounded to uint8, all pixels in one file that <see cref="PackedDataset"/>
/// memory-maps. The resize is the toolkit's own <see cref="Resize"/> transform (antialiased bilinear, PIL's filter),
/// the one the folder path applies, so a stored image is what <c>Resize(ShortSide)</c> makes of the decoded JPEG, to
/// within half a grey level. Files are written atomically (a temporary file renamed into place), so a store that
/// exists is complete.
/// </summary>
public static class PackedStore
{
    /// <summary>The store file of the training split in a packed folder.</summary>
    public const string TrainFileName = "train" + PackedDataset.Extension;

    private const int ListedAtMost = 10;

    /// <summary>
    /// Packs the image folder <paramref name="folder"/> (its <c>train/</c> and <c>val/</c> or <c>test/</c> splits, as
    /// <c>folder:DIR</c> reads them) into <paramref name="outputDirectory"/> as <c>train.dupack</c> and <c>val.dupack</c>
    /// (or <c>test.dupack</c>), which <c>packed:DIR</c> opens. A split whose store is already there, packed from the
    /// same folder at the same short side, is kept, so an interrupted run resumes at the split it stopped in.
    /// Class descriptions are taken from the folder's <c>classes.txt</c> when it has one (the ImageNet subset builder writes it).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder has no train/ split.</exception>
    /// <exception cref="IOException">A store of other content is in the way.</exception>
    /// <exception cref="InvalidDataException">Images that cannot be decoded (all of them are listed, with a count); nothing is written for that split.</exception>
    public static IReadOnlyList<PackedSplit> PackFolder(string folder, string outputDirectory, PackOptions? options = null, IProgress<DataProgress>? progress = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        options ??= new PackOptions();
        ILogger logger = loggerFactory?.CreateLogger(typeof(PackedStore).FullName!) ?? NullLogger.Instance;
        string root = Path.GetFullPath(folder);
        string train = Path.Combine(root, "train");
        if (!Directory.Exists(train))
        {
            throw new DirectoryNotFoundException($"image folder '{root}' has no train/ split; expected DIR/train/<class>/... and DIR/val/<class>/... (what 'deepunlearn data imagenet100' builds)");
        }
        string? test = new[] { "val", "test" }.FirstOrDefault(s => Directory.Exists(Path.Combine(root, s)));
        Dictionary<string, string> descriptions = ReadDescriptions(Path.Combine(root, ImageNet.ImageNetSubsetBuilder.ClassesFileName));
        string name = Path.GetFileName(root);
        var results = new List<PackedSplit>();
        foreach (string split in test is null ? ["train"] : new[] { "train", test })
        {
            var dataset = new ImageFolderDataset(Path.Combine(root, split), Imaging.ImageChannels.Rgb, name, logger: logger);
            string path = Path.Combine(outputDirectory, split + PackedDataset.Extension);
            if (File.Exists(path))
            {
                using PackedDataset existing = PackedDataset.Open(path);
                if (existing.ShortSide == options.ShortSide && existing.Count == dataset.Count && existing.Source == dataset.Root &&
                    existing.ClassNames.SequenceEqual(dataset.ClassNames))
                {
                    DataLog.AlreadyPacked(logger, path, dataset.Root, options.ShortSide);
                    results.Add(new PackedSplit(split, path, existing.Count, existing.PixelBytes, AlreadyPacked: true, TimeSpan.Zero));
                    continue;
                }
                throw new IOException(
                    $"'{path}' already holds a store of {existing.Count} images from {existing.Source} at short side {existing.ShortSide}, not of {dataset.Count} from " +
                    $"{dataset.Root} at {options.ShortSide}; remove it or choose another --out");
            }
            long started = Stopwatch.GetTimestamp();
            IProgress<DataProgress>? splitProgress = progress is null ? null : new Progress(progress, split);
            long bytes = Pack(dataset, path, options, descriptions, splitProgress, logger, cancellationToken);
            results.Add(new PackedSplit(split, path, dataset.Count, bytes, AlreadyPacked: false, Stopwatch.GetElapsedTime(started)));
        }
        return results;
    }

    /// <summary>
    /// Packs <paramref name="source"/> (an image folder, or any dataset) into the store file <paramref name="path"/>,
    /// replacing it atomically. Ids, labels and class names are the source's.
    /// </summary>
    /// <param name="source">The images.</param>
    /// <param name="path">The store file to write.</param>
    /// <param name="options">Short side and threads.</param>
    /// <param name="classDescriptions">Human-readable names by class name (optional).</param>
    /// <param name="progress">Progress (images packed).</param>
    /// <param name="logger">Logging.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written.</param>
    /// <returns>The bytes of pixels written.</returns>
    /// <exception cref="InvalidDataException">Images that cannot be decoded (listed, with a count); nothing is written.</exception>
    public static long Pack(IVisionDataset source, string path, PackOptions? options = null, IReadOnlyDictionary<string, string>? classDescriptions = null,
        IProgress<DataProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new PackOptions();
        logger ??= NullLogger.Instance;
        var folder = source as ImageFolderDataset;
        int count = source.Count;
        var offsets = new long[count];
        var heights = new int[count];
        var widths = new int[count];
        var checksums = new uint[count];
        var failures = new ConcurrentBag<(int Id, string Message)>();
        var resize = new Resize(options.ShortSide);
        long started = Stopwatch.GetTimestamp();
        long pixelLength = 0;
        AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[PackedStoreHeader.Length]);
            int block = Math.Max(64, 16 * options.Workers);
            var pending = new byte[block][];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = cancellationToken };
            using var workers = new ThreadLocal<PackWorker>(() => new PackWorker());
            for (int start = 0; start < count; start += block)
            {
                int n = Math.Min(block, count - start);
                Parallel.For(0, n, parallel, i =>
                {
                    int id = start + i;
                    try
                    {
                        pending[i] = workers.Value!.Process(source, id, resize, out heights[id], out widths[id]);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        failures.Add((id, e.Message));
                        pending[i] = [];
                    }
                });
                if (failures.IsEmpty)
                {
                    for (int i = 0; i < n; i++)
                    {
                        int id = start + i;
                        offsets[id] = pixelLength;
                        checksums[id] = Crc32C.Compute(pending[i]);
                        stream.Write(pending[i]);
                        pixelLength += pending[i].Length;
                    }
                }
                Array.Clear(pending);
                progress?.Report(new DataProgress("packing", start + n, count));
            }
            if (!failures.IsEmpty)
            {
                (int Id, string Message)[] sorted = failures.OrderBy(f => f.Id).ToArray();
                throw new InvalidDataException(
                    $"{sorted.Length} of {count} images of {source.Name} could not be read, so {path} was not written: " +
                    string.Join("; ", sorted.Take(ListedAtMost).Select(f => $"id {f.Id}: {f.Message}")) +
                    (sorted.Length > ListedAtMost ? $"; and {sorted.Length - ListedAtMost} more" : string.Empty));
            }
            var index = new PackedStoreIndex
            {
                Name = source.Name,
                Source = folder?.Root ?? source.Name,
                Mean = [.. source.Normalization.Mean],
                Std = [.. source.Normalization.Std],
                ClassNames = [.. source.ClassNames],
                ClassDescriptions = source.ClassNames.Select(c => classDescriptions is not null && classDescriptions.TryGetValue(c, out string? d) ? d : c).ToArray(),
                Offsets = offsets,
                Heights = heights,
                Widths = widths,
                Labels = source.Labels.ToArray(),
                Checksums = checksums,
                Paths = Enumerable.Range(0, count).Select(id => folder is null ? $"#{id}" : Path.GetRelativePath(folder.Root, folder.FilePath(id)).Replace('\\', '/')).ToArray(),
            };
            byte[] indexBytes = index.ToBytes();
            stream.Write(indexBytes);
            var header = new PackedStoreHeader(count, source.NumClasses, source.Channels, options.ShortSide, pixelLength, indexBytes.Length, Crc32C.Compute(indexBytes));
            stream.Position = 0;
            stream.Write(header.ToBytes());
        });
        DataLog.Packed(logger, count, source.Name, path, pixelLength, Stopwatch.GetElapsedTime(started));
        return pixelLength;
    }

    /// <summary>Reads <c>classes.txt</c> (label, wnid and name, tab-separated) into wnid → name; empty when absent.</summary>
    private static Dictionary<string, string> ReadDescriptions(string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return names;
        }
        foreach (string line in InputFile.ReadAllLines(path, "synset description file"))
        {
            string[] parts = line.Split('\t');
            if (parts.Length >= 3)
            {
                names[parts[1]] = parts[2];
            }
        }
        return names;
    }

    /// <summary>One thread's buffers: the decoded image and the transform context that resizes it.</summary>
    private sealed class PackWorker
    {
        private readonly ImageBuffer _decoded = new();
        private readonly TransformContext _context = new();

        // Decode, Resize(short side) as the folder path does, round to uint8 (nearest; the filter's weights are
        // non-negative and sum to 1, so values stay in [0, 1] up to float rounding, which the clamp absorbs).
        public byte[] Process(IVisionDataset source, int id, Resize resize, out int height, out int width)
        {
            source.Read(id, _decoded);
            _context.BeginSample(0, id);
            _context.Image.LoadFrom(_decoded);
            resize.Apply(_context);
            FloatImage image = _context.Image;
            (height, width) = (image.Height, image.Width);
            var pixels = new byte[image.Length];
            Quantize(image.Pixels, pixels);
            return pixels;
        }
    }

    /// <summary>[0, 1] floats to uint8: round(255·v), clamped.</summary>
    internal static void Quantize(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i] = (byte)Math.Clamp((int)((values[i] * 255f) + 0.5f), 0, 255);
        }
    }

    /// <summary>Prefixes a split's progress with its name.</summary>
    private sealed class Progress(IProgress<DataProgress> inner, string split) : IProgress<DataProgress>
    {
        public void Report(DataProgress value) => inner.Report(value with { Phase = $"packing {split}" });
    }
}
