using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data;

/// <summary>
/// Reads image datasets in the IDX format of MNIST and Fashion-MNIST: an images file (magic
/// 0x00000803: unsigned bytes, 3 dims; then count, rows, columns as big-endian int32; then the pixels)
/// and a labels file (magic 0x00000801; count; one byte per label). Files may be gzipped (recognised
/// by the 1f 8b magic, whatever their name). File names follow MNIST's: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, with
/// an optional <c>.gz</c> (a dot instead of the last dash, <c>train-images.idx3-ubyte</c>, is accepted too).
/// </summary>
public static class IdxDataset
{
    /// <summary>The magic number of an unsigned-byte, 3-dimensional IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Loads one split from <paramref name="directory"/>. Without <paramref name="classNames"/> the classes
    /// are named "0", "1", … up to the largest label present.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message lists the names looked for).</exception>
    /// <exception cref="InvalidDataException">Bad magic, dims inconsistent with the data, counts that differ, labels out of range.</exception>
    public static InMemoryVisionDataset Load(
        string directory,
        DatasetSplit split,
        IReadOnlyList<string>? classNames = null,
        string name = "idx",
        ChannelStatistics? normalization = null,
        ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"IDX: directory '{directory}' does not exist; expected a folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]");
        }
        string prefix = split == DatasetSplit.Train ? "train" : "t10k";
        string imagesPath = FindFile(directory, prefix, "images", 3);
        string labelsPath = FindFile(directory, prefix, "labels", 1);
        var (pixels, count, rows, columns) = ReadImages(imagesPath);
        if (count == 0)
        {
            throw new InvalidDataException($"{imagesPath}: the {(split == DatasetSplit.Train ? "training" : "test")} split holds no images (its IDX header says 0); every split needs at least one sample");
        }
        byte[] labelBytes = ReadLabels(labelsPath);
        if (labelBytes.Length != count)
        {
            throw new InvalidDataException($"{labelsPath}: holds {labelBytes.Length} labels, but {imagesPath} holds {count} images");
        }
        int maxLabel = labelBytes.Length == 0 ? 0 : labelBytes.Max();
        IReadOnlyList<string> names = classNames ?? Enumerable.Range(0, maxLabel + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (labelBytes[i] >= names.Count)
            {
                throw new InvalidDataException($"{labelsPath}: label {i} is {labelBytes[i]}, but there are {names.Count} classes (labels 0..{names.Count - 1})");
            }
            labels[i] = labelBytes[i];
        }
        DataLog.DatasetLoaded(logger ?? NullLogger.Instance, "IDX", split, count, directory);
        return new InMemoryVisionDataset(name, pixels, labels, 1, rows, columns, names, normalization);
    }

    /// <summary>Reads an IDX images file (magic 0x00000803), gzipped or not: pixels of [count, rows, columns].</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        var (dims, data) = ReadIdx(path, ImagesMagic, "images (unsigned bytes, 3 dims)");
        return (data, dims[0], dims[1], dims[2]);
    }

    /// <summary>Reads an IDX labels file (magic 0x00000801), gzipped or not: one byte per label.</summary>
    public static byte[] ReadLabels(string path) => ReadIdx(path, LabelsMagic, "labels (unsigned bytes, 1 dim)").Data;

    private static string FindFile(string directory, string prefix, string kind, int ndim)
    {
        string[] candidates =
        [
            $"{prefix}-{kind}-idx{ndim}-ubyte", $"{prefix}-{kind}-idx{ndim}-ubyte.gz",
            $"{prefix}-{kind}.idx{ndim}-ubyte", $"{prefix}-{kind}.idx{ndim}-ubyte.gz",
        ];
        foreach (string candidate in candidates)
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException(
            $"IDX: no {prefix} {kind} file in '{directory}'; looked for {string.Join(", ", candidates)}",
            Path.Combine(directory, candidates[0]));
    }

    private static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedMagic, string what)
    {
        using FileStream file = File.OpenRead(path);
        bool gzip = file.Length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadIdx(stream, gzip ? null : file.Length, path, expectedMagic, what);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
        }
    }

    private static (int[] Dims, byte[] Data) ReadIdx(Stream stream, long? fileLength, string path, int expectedMagic, string what)
    {
        Span<byte> word = stackalloc byte[4];
        if (ReadFully(stream, word) < 4)
        {
            throw new InvalidDataException($"{path}: too short for an IDX header (expected the 4-byte magic 0x{expectedMagic:x8} for {what})");
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException($"{path}: bad magic number 0x{magic:x8}; expected 0x{expectedMagic:x8} for IDX {what}");
        }
        int ndim = expectedMagic & 0xff;
        var dims = new int[ndim];
        for (int d = 0; d < ndim; d++)
        {
            if (ReadFully(stream, word) < 4)
            {
                throw new InvalidDataException($"{path}: the IDX header ends before dimension {d + 1} of {ndim}");
            }
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
            {
                throw new InvalidDataException($"{path}: invalid IDX dimension {d + 1}: {dims[d]}");
            }
        }
        long headerLength = 4 + (4L * ndim);
        string shape = string.Join("x", dims);
        // The product of the dims, checked before it can overflow (three int32 dims reach 2^93): one item (an image of
        // rows x columns) and then the whole file must fit in one array.
        long itemLength = 1;
        for (int d = 1; d < ndim; d++)
        {
            itemLength *= dims[d];
            if (itemLength > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"{path}: IDX dims {shape} describe items of more than {Array.MaxLength:N0} bytes each; the header is corrupt or not an IDX {what} file");
            }
        }
        if (dims[0] > 0 && itemLength > Array.MaxLength / dims[0])
        {
            throw new InvalidDataException(
                $"{path}: IDX dims {shape} describe {(double)dims[0] * itemLength:G3} bytes, more than one array holds ({Array.MaxLength:N0}); the header is corrupt");
        }
        long elements = dims[0] * itemLength;
        if (fileLength is long length && length != headerLength + elements)
        {
            throw new InvalidDataException(
                $"{path}: the file is {length} bytes, but its IDX header (dims {shape}) requires {headerLength + elements} ({headerLength} header + {elements} data)");
        }
        var data = new byte[elements];
        int read = ReadFully(stream, data);
        if (read < elements)
        {
            throw new InvalidDataException(
                $"{path}: the data ends after {read} of the {elements} bytes its IDX header (dims {shape}) requires; the file is truncated");
        }
        if (fileLength is null && stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"{path}: the decompressed data is longer than its IDX header (dims {shape}, {elements} bytes) says");
        }
        return (dims, data);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
