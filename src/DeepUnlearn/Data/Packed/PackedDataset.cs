using System;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data.Packed;

/// <summary>
/// A packed store opened for reading: an image dataset decoded once (by <see cref="PackedStore.Pack"/>) to a fixed short
/// side, its uint8 CHW pixels in one memory-mapped file. Ids, labels and class names are those of the image folder it
/// was packed from (its canonical order), so forget sets carry over unchanged. <see cref="Read"/> is a copy out of
/// the mapping (no decoding), and the usual ImageNet transforms (RandomResizedCrop, Resize + CenterCrop) apply to
/// it as to the folder's images. Thread-safe for reading.
/// <para>
/// Opening checks the whole structure (version, header and index checksums, the file's length against the header,
/// every index entry against the pixel section) but not the pixels; <see cref="Verify"/> checks those against their
/// stored CRC-32C. Dispose it to unmap the file (the mapping is also released when the object is collected).
/// </para>
/// </summary>
public sealed unsafe class PackedDataset : IVisionDataset, IDisposable
{
    /// <summary>The extension of a packed store file.</summary>
    public const string Extension = ".dupack";

    private readonly PackedStoreHeader _header;
    private readonly PackedStoreIndex _index;
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _pixels;
    private bool _disposed;

    private PackedDataset(string path, PackedStoreHeader header, PackedStoreIndex index, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* pixels)
    {
        Path = path;
        _header = header;
        _index = index;
        _map = map;
        _view = view;
        _pixels = pixels;
        Normalization = new ChannelStatistics(index.Mean, index.Std);
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name => _index.Name;

    /// <summary>What the store was packed from (the source folder).</summary>
    public string Source => _index.Source;

    /// <summary>Every image's shorter side, in pixels.</summary>
    public int ShortSide => _header.ShortSide;

    /// <inheritdoc />
    public int Count => _header.Count;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _index.ClassNames;

    /// <summary>Human-readable class names (e.g. ImageNet's WordNet words), or the class names when the source had none.</summary>
    public IReadOnlyList<string> ClassDescriptions => _index.ClassDescriptions;

    /// <inheritdoc />
    public int NumClasses => _header.Classes;

    /// <inheritdoc />
    public int Channels => _header.Channels;

    /// <summary>0: the images share their short side, not their size; transforms give them a common one.</summary>
    public int Height => 0;

    /// <summary>0: the images share their short side, not their size; transforms give them a common one.</summary>
    public int Width => 0;

    /// <inheritdoc />
    public ChannelStatistics Normalization { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<int> Labels => _index.Labels;

    /// <summary>Total bytes of pixels.</summary>
    public long PixelBytes => _header.PixelLength;

    /// <summary>Opens and checks the store file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a store, another format version, truncated, or damaged; the message names the file and says what to do.</exception>
    public static PackedDataset Open(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"packed store '{path}' does not exist; make one with 'deepunlearn data pack --folder DIR --out DIR'", path);
        }
        path = System.IO.Path.GetFullPath(path);
        PackedStoreHeader header;
        PackedStoreIndex index;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var headerBytes = new byte[PackedStoreHeader.Length];
            int read = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
            header = PackedStoreHeader.Parse(headerBytes.AsSpan(0, read), stream.Length, path);
            var indexBytes = new byte[header.IndexLength];
            stream.Position = header.IndexOffset;
            stream.ReadExactly(indexBytes);
            if (Crc32C.Compute(indexBytes) != header.IndexCrc)
            {
                throw new InvalidDataException($"{path}: the index's checksum does not match (the index is damaged); rebuild it with 'deepunlearn data pack'");
            }
            index = PackedStoreIndex.Parse(indexBytes, header, path);
        }
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            DataLog.PackedOpened(logger ?? NullLogger.Instance, path, header.Count, header.Classes, header.ShortSide);
            return new PackedDataset(path, header, index, map, view, start + view.PointerOffset + PackedStoreHeader.Length);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int Label(int id)
    {
        CheckId(id);
        return _index.Labels[id];
    }

    /// <summary>The (height, width) of sample <paramref name="id"/>.</summary>
    public (int Height, int Width) Size(int id)
    {
        CheckId(id);
        return (_index.Heights[id], _index.Widths[id]);
    }

    /// <summary>Sample <paramref name="id"/>'s source file, relative to the folder it was packed from.</summary>
    public string SourcePath(int id)
    {
        CheckId(id);
        return _index.Paths[id];
    }

    /// <summary>Copies sample <paramref name="id"/>'s pixels into <paramref name="destination"/> (uint8 CHW).</summary>
    public void Read(int id, ImageBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ReadOnlySpan<byte> pixels = Pixels(id);
        destination.Resize(_header.Channels, _index.Heights[id], _index.Widths[id]);
        pixels.CopyTo(destination.Pixels);
    }

    /// <summary>Sample <paramref name="id"/>'s pixels (uint8 CHW) in the mapping, valid until the store is disposed.</summary>
    public ReadOnlySpan<byte> Pixels(int id)
    {
        CheckId(id);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = _header.Channels * _index.Heights[id] * _index.Widths[id];
        return new ReadOnlySpan<byte>(_pixels + _index.Offsets[id], length);
    }

    /// <summary>
    /// Checks every sample's pixels against the CRC-32C stored when it was packed (reads the whole file).
    /// </summary>
    /// <exception cref="InvalidDataException">Some samples' pixels changed since packing; the message lists them and how many.</exception>
    public void Verify(IProgress<DataProgress>? progress = null)
    {
        var bad = new List<int>();
        for (int id = 0; id < Count; id++)
        {
            if (Crc32C.Compute(Pixels(id)) != _index.Checksums[id])
            {
                bad.Add(id);
            }
            if (progress is not null && ((id + 1) % 4096 == 0 || id + 1 == Count))
            {
                progress.Report(new DataProgress("verifying", id + 1, Count));
            }
        }
        if (bad.Count > 0)
        {
            string listed = string.Join(", ", bad.Take(10).Select(id => $"{id} ({_index.Paths[id]})"));
            throw new InvalidDataException(
                $"{Path}: the pixels of {bad.Count} of {Count} samples do not match their checksums: {listed}{(bad.Count > 10 ? $" and {bad.Count - 10} more" : string.Empty)}; " +
                "the file is damaged: rebuild it with 'deepunlearn data pack'");
        }
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_header.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"sample id out of range: {Name} has ids 0..{_header.Count - 1}");
        }
    }
}
