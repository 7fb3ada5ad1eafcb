using System;
using System.Buffers.Binary;
using System.IO;

namespace DeepUnlearn.Data.Packed;

/// <summary>
/// The fixed 128-byte header of a packed store file (little-endian):
/// <code>
///   0  8  magic "DUPACK\r\n"
///   8  4  format version (1)
///  12  4  header length (128)
///  16  4  samples
///  20  4  classes
///  24  4  channels
///  28  4  short side
///  32  8  pixel section offset (128)
///  40  8  pixel section length
///  48  8  index offset (= pixel offset + pixel length)
///  56  8  index length
///  64  4  CRC-32C of the index
///  68 56  zero
/// 124  4  CRC-32C of bytes 0..123
/// </code>
/// The file is the header, the pixels (every sample's uint8 CHW bytes, back to back in id order) and the index, and
/// nothing else: its length is index offset + index length.
/// </summary>
internal readonly record struct PackedStoreHeader(
    int Count,
    int Classes,
    int Channels,
    int ShortSide,
    long PixelLength,
    long IndexLength,
    uint IndexCrc)
{
    /// <summary>The version this build reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The header's length, which is also where the pixels start.</summary>
    public const int Length = 128;

    private static ReadOnlySpan<byte> Magic => "DUPACK\r\n"u8;

    /// <summary>Where the index starts.</summary>
    public long IndexOffset => Length + PixelLength;

    /// <summary>The file's length.</summary>
    public long FileLength => IndexOffset + IndexLength;

    /// <summary>The header's bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        Magic.CopyTo(bytes);
        Span<byte> b = bytes;
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], CurrentVersion);
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], Length);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(b[20..], Classes);
        BinaryPrimitives.WriteInt32LittleEndian(b[24..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(b[28..], ShortSide);
        BinaryPrimitives.WriteInt64LittleEndian(b[32..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(b[40..], PixelLength);
        BinaryPrimitives.WriteInt64LittleEndian(b[48..], IndexOffset);
        BinaryPrimitives.WriteInt64LittleEndian(b[56..], IndexLength);
        BinaryPrimitives.WriteUInt32LittleEndian(b[64..], IndexCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(b[124..], Crc32C.Compute(b[..124]));
        return bytes;
    }

    /// <summary>Reads and checks a header; <paramref name="fileLength"/> is the file's actual length.</summary>
    /// <exception cref="InvalidDataException">Not a store, another version, a damaged header, or a length that disagrees (truncated); the message names <paramref name="path"/>.</exception>
    public static PackedStoreHeader Parse(ReadOnlySpan<byte> bytes, long fileLength, string path)
    {
        const string Rebuild = "rebuild it with 'deepunlearn data pack'";
        if (fileLength < Length || bytes.Length < Length)
        {
            throw new InvalidDataException(
                fileLength >= 8 && bytes[..8].SequenceEqual(Magic)
                    ? $"{path}: truncated: {fileLength} bytes, shorter than the {Length}-byte header; {Rebuild}"
                    : $"{path}: not a DeepUnlearn packed store ({fileLength} bytes, no '{"DUPACK"}' header)");
        }
        if (!bytes[..8].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a DeepUnlearn packed store (no 'DUPACK' header)");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (version != CurrentVersion)
        {
            throw new InvalidDataException($"{path}: packed store format version {version}; this DeepUnlearn reads version {CurrentVersion}: {Rebuild}");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[124..]) != Crc32C.Compute(bytes[..124]))
        {
            throw new InvalidDataException($"{path}: the header's checksum does not match (the header is damaged); {Rebuild}");
        }
        var header = new PackedStoreHeader(
            BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[56..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[64..]));
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]) != Length || BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]) != Length ||
            BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]) != header.IndexOffset || header.Count < 0 || header.Classes < 1 ||
            header.Channels is not (1 or 3) || header.ShortSide < 1 || header.PixelLength < 0 || header.IndexLength is < 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"{path}: the header's fields are inconsistent; {Rebuild}");
        }
        if (fileLength < header.FileLength)
        {
            throw new InvalidDataException($"{path}: truncated: {fileLength} bytes of the {header.FileLength} its header declares; {Rebuild}");
        }
        if (fileLength > header.FileLength)
        {
            throw new InvalidDataException($"{path}: {fileLength - header.FileLength} bytes more than the {header.FileLength} its header declares; {Rebuild}");
        }
        return header;
    }
}
