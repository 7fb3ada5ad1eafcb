using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace DeepUnlearn.Tests.Codecs.Imaging;

/// <summary>
/// Writes PNG files by hand (signature, IHDR, optional PLTE/tRNS, one zlib IDAT, IEND, CRC-32 per chunk)
/// so the decoder is tested on colour types and bit depths our own encoder never produces.
/// </summary>
internal static class PngWriter
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>A PNG whose scanlines are given unfiltered (a 0 filter byte is added per row).</summary>
    public static byte[] Write(int width, int height, byte bitDepth, byte colorType, byte[][] rows, byte[]? palette = null, byte[]? transparency = null)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colorType;
        WriteChunk(output, "IHDR", header);
        if (palette is not null)
        {
            WriteChunk(output, "PLTE", palette);
        }
        if (transparency is not null)
        {
            WriteChunk(output, "tRNS", transparency);
        }
        using var raw = new MemoryStream();
        foreach (byte[] row in rows)
        {
            raw.WriteByte(0);
            raw.Write(row);
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw.ToArray());
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = 0xffffffffu;
        crc = Update(crc, typeBytes);
        crc = Update(crc, data);
        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc ^ 0xffffffffu);
        output.Write(crcBytes);
    }

    private static uint Update(uint crc, byte[] data)
    {
        foreach (byte b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
