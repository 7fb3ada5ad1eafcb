using System;
using System.IO;
using System.Text;

namespace DeepUnlearn.Data.Packed;

/// <summary>
/// The index section of a packed store (little-endian; strings as .NET's BinaryWriter writes them, a 7-bit
/// encoded UTF-8 length then the bytes): dataset name, source, normalisation (mean and std per channel), per class
/// its name and description, per sample (by id) its pixel offset (from the pixel section's start), height, width,
/// label and pixel CRC-32C, then per sample its source path relative to the source folder.
/// </summary>
internal sealed class PackedStoreIndex
{
    public required string Name { get; init; }

    public required string Source { get; init; }

    public required float[] Mean { get; init; }

    public required float[] Std { get; init; }

    public required string[] ClassNames { get; init; }

    public required string[] ClassDescriptions { get; init; }

    public required long[] Offsets { get; init; }

    public required int[] Heights { get; init; }

    public required int[] Widths { get; init; }

    public required int[] Labels { get; init; }

    public required uint[] Checksums { get; init; }

    public required string[] Paths { get; init; }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Name);
            writer.Write(Source);
            writer.Write(Mean.Length);
            for (int c = 0; c < Mean.Length; c++)
            {
                writer.Write(Mean[c]);
                writer.Write(Std[c]);
            }
            writer.Write(ClassNames.Length);
            for (int k = 0; k < ClassNames.Length; k++)
            {
                writer.Write(ClassNames[k]);
                writer.Write(ClassDescriptions[k]);
            }
            writer.Write(Offsets.Length);
            for (int i = 0; i < Offsets.Length; i++)
            {
                writer.Write(Offsets[i]);
                writer.Write(Heights[i]);
                writer.Write(Widths[i]);
                writer.Write(Labels[i]);
                writer.Write(Checksums[i]);
            }
            foreach (string path in Paths)
            {
                writer.Write(path);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Parses the index and checks it against the header: counts, labels, shapes, and offsets that tile the pixel section exactly.</summary>
    public static PackedStoreIndex Parse(byte[] bytes, PackedStoreHeader header, string path)
    {
        const string Rebuild = "rebuild it with 'deepunlearn data pack'";
        PackedStoreIndex index;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            string name = reader.ReadString();
            string source = reader.ReadString();
            int channels = reader.ReadInt32();
            if (channels != header.Channels)
            {
                throw new InvalidDataException($"the index has statistics for {channels} channels, the header says {header.Channels}");
            }
            var mean = new float[channels];
            var std = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                mean[c] = reader.ReadSingle();
                std[c] = reader.ReadSingle();
            }
            int classes = reader.ReadInt32();
            if (classes != header.Classes)
            {
                throw new InvalidDataException($"the index lists {classes} classes, the header {header.Classes}");
            }
            var classNames = new string[classes];
            var descriptions = new string[classes];
            for (int k = 0; k < classes; k++)
            {
                classNames[k] = reader.ReadString();
                descriptions[k] = reader.ReadString();
            }
            int count = reader.ReadInt32();
            if (count != header.Count)
            {
                throw new InvalidDataException($"the index lists {count} samples, the header {header.Count}");
            }
            index = new PackedStoreIndex
            {
                Name = name,
                Source = source,
                Mean = mean,
                Std = std,
                ClassNames = classNames,
                ClassDescriptions = descriptions,
                Offsets = new long[count],
                Heights = new int[count],
                Widths = new int[count],
                Labels = new int[count],
                Checksums = new uint[count],
                Paths = new string[count],
            };
            for (int i = 0; i < count; i++)
            {
                index.Offsets[i] = reader.ReadInt64();
                index.Heights[i] = reader.ReadInt32();
                index.Widths[i] = reader.ReadInt32();
                index.Labels[i] = reader.ReadInt32();
                index.Checksums[i] = reader.ReadUInt32();
            }
            for (int i = 0; i < count; i++)
            {
                index.Paths[i] = reader.ReadString();
            }
            if (reader.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException($"{bytes.Length - reader.BaseStream.Position} unread bytes after the index");
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: the index is malformed ({e.Message}); {Rebuild}", e);
        }
        long expected = 0;
        for (int i = 0; i < index.Offsets.Length; i++)
        {
            int h = index.Heights[i], w = index.Widths[i];
            if (index.Offsets[i] != expected || h < 1 || w < 1 || Math.Min(h, w) != header.ShortSide || (uint)index.Labels[i] >= (uint)header.Classes)
            {
                throw new InvalidDataException(
                    $"{path}: index entry {i} (offset {index.Offsets[i]}, {h}x{w}, label {index.Labels[i]}) does not fit the store " +
                    $"(expected offset {expected}, short side {header.ShortSide}, label below {header.Classes}); {Rebuild}");
            }
            expected += (long)header.Channels * h * w;
        }
        if (expected != header.PixelLength)
        {
            throw new InvalidDataException($"{path}: the index's images add up to {expected} bytes, the pixel section holds {header.PixelLength}; {Rebuild}");
        }
        return index;
    }
}
