using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// The part of the MATLAB Level 5 MAT-file format that the ILSVRC devkit's <c>meta.mat</c> uses (MathWorks, "MAT-File
/// Format", R2019b, ch. 1): little-endian files, compressed (<c>miCOMPRESSED</c>, zlib) or plain <c>miMATRIX</c>
/// elements, numeric, char, struct and cell arrays, numbers stored in any numeric type (MATLAB shrinks integral
/// doubles to the smallest integer type). Sparse and complex arrays, objects and big-endian files are refused
/// with a message saying so. Enough to read what scipy's <c>loadmat</c> reads in torchvision's ImageNet parser.
/// </summary>
internal static class MatFile
{
    private const int HeaderLength = 128;

    // Data types (Table 1-1).
    private const int MiInt8 = 1;
    private const int MiUInt8 = 2;
    private const int MiInt16 = 3;
    private const int MiUInt16 = 4;
    private const int MiInt32 = 5;
    private const int MiUInt32 = 6;
    private const int MiSingle = 7;
    private const int MiDouble = 9;
    private const int MiInt64 = 12;
    private const int MiUInt64 = 13;
    private const int MiMatrix = 14;
    private const int MiCompressed = 15;
    private const int MiUtf8 = 16;
    private const int MiUtf16 = 17;
    private const int MiUtf32 = 18;

    // Array classes (Table 1-3).
    private const int MxCell = 1;
    private const int MxStruct = 2;
    private const int MxObject = 3;
    private const int MxChar = 4;
    private const int MxSparse = 5;
    private const int MxDouble = 6;
    private const int MxUInt64 = 15;

    private const int ComplexFlag = 0x08;

    /// <summary>Reads the top-level variables of the file at <paramref name="path"/>, by name.</summary>
    /// <exception cref="InvalidDataException">Not a Level 5 MAT-file, or a construct this reader does not handle; the message names the file.</exception>
    public static IReadOnlyDictionary<string, MatArray> Read(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path, "MAT-file");
        try
        {
            return Read(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the top-level variables of a MAT-file held in <paramref name="file"/>.</summary>
    public static IReadOnlyDictionary<string, MatArray> Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderLength)
        {
            throw new InvalidDataException($"{file.Length} bytes are too short for a MAT-file (its header alone is {HeaderLength})");
        }
        if (!file[..6].SequenceEqual("MATLAB"u8))
        {
            throw new InvalidDataException("not a MATLAB Level 5 MAT-file (the header does not start with 'MATLAB'); MAT v7.3 (HDF5) files are not read either");
        }
        if (file[126] == (byte)'M' && file[127] == (byte)'I')
        {
            throw new InvalidDataException("a big-endian MAT-file; only little-endian files (every MATLAB on x86 and ARM writes them) are read");
        }
        if (file[126] != (byte)'I' || file[127] != (byte)'M')
        {
            throw new InvalidDataException("the MAT-file header's endian indicator is neither 'IM' nor 'MI'");
        }
        var variables = new Dictionary<string, MatArray>(StringComparer.Ordinal);
        int position = HeaderLength;
        while (position < file.Length)
        {
            if (file.Length - position < 8)
            {
                throw new InvalidDataException($"{file.Length - position} stray bytes at the end of the file");
            }
            var (type, length, dataOffset, next) = Tag(file, position);
            ReadOnlySpan<byte> data = Slice(file, dataOffset, length);
            MatArray? array = type switch
            {
                MiCompressed => ReadCompressed(data),
                MiMatrix => ReadMatrix(data),
                _ => null, // Other top-level elements carry no variable.
            };
            if (array is not null && array.Name.Length > 0)
            {
                variables[array.Name] = array;
            }
            // Compressed elements are not padded to 8 bytes (MATLAB and scipy write them back to back).
            position = type == MiCompressed ? dataOffset + length : next;
        }
        return variables;
    }

    private static MatArray ReadCompressed(ReadOnlySpan<byte> data)
    {
        byte[] inflated;
        try
        {
            using var input = new MemoryStream(data.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            zlib.CopyTo(output);
            inflated = output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"a compressed element does not inflate: {e.Message}", e);
        }
        var (type, length, dataOffset, _) = Tag(inflated, 0);
        if (type != MiMatrix)
        {
            throw new InvalidDataException($"a compressed element holds data type {type}, not an array (miMATRIX, 14)");
        }
        return ReadMatrix(Slice(inflated, dataOffset, length));
    }

    // The sub-elements of one miMATRIX: flags, dimensions, name, then the class's data.
    private static MatArray ReadMatrix(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return MatArray.Empty;
        }
        int position = 0;
        ReadOnlySpan<byte> flags = Element(data, ref position, out int flagsType);
        if (flagsType != MiUInt32 || flags.Length < 8)
        {
            throw new InvalidDataException("an array's flags sub-element is missing or malformed");
        }
        int arrayClass = flags[0];
        int flagBits = flags[1];
        if (arrayClass is MxSparse or MxObject || (flagBits & ComplexFlag) != 0)
        {
            throw new InvalidDataException($"array class {arrayClass}{((flagBits & ComplexFlag) != 0 ? " (complex)" : string.Empty)} is not supported (sparse, complex and object arrays are not read)");
        }
        ReadOnlySpan<byte> dimensionBytes = Element(data, ref position, out int dimensionType);
        if (dimensionType != MiInt32 || dimensionBytes.Length % 4 != 0 || dimensionBytes.Length == 0)
        {
            throw new InvalidDataException("an array's dimensions sub-element is missing or malformed");
        }
        var dimensions = new int[dimensionBytes.Length / 4];
        long count = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32LittleEndian(dimensionBytes[(4 * d)..]);
            if (dimensions[d] < 0)
            {
                throw new InvalidDataException($"an array declares a negative dimension ({dimensions[d]})");
            }
            count *= dimensions[d];
        }
        if (count > int.MaxValue)
        {
            throw new InvalidDataException($"an array declares {count} elements");
        }
        string name = Encoding.ASCII.GetString(Element(data, ref position, out _));
        switch (arrayClass)
        {
            case MxStruct:
                return ReadStruct(data, ref position, name, dimensions, (int)count);
            case MxCell:
                var cells = new MatArray[count];
                for (int i = 0; i < count; i++)
                {
                    cells[i] = ReadMatrix(Element(data, ref position, out _, MiMatrix));
                }
                return new MatArray(name, arrayClass, dimensions) { Cells = cells };
            case MxChar:
                ReadOnlySpan<byte> chars = Element(data, ref position, out int charType);
                return new MatArray(name, arrayClass, dimensions) { Text = DecodeText(chars, charType, dimensions) };
            case >= MxDouble and <= MxUInt64:
                ReadOnlySpan<byte> real = Element(data, ref position, out int realType);
                double[] numbers = DecodeNumbers(real, realType);
                if (numbers.Length != count)
                {
                    throw new InvalidDataException($"numeric array '{name}' declares {count} elements but holds {numbers.Length}");
                }
                return new MatArray(name, arrayClass, dimensions) { Numbers = numbers };
            default:
                throw new InvalidDataException($"array class {arrayClass} is not supported");
        }
    }

    private static MatArray ReadStruct(ReadOnlySpan<byte> data, ref int position, string name, int[] dimensions, int count)
    {
        ReadOnlySpan<byte> lengthBytes = Element(data, ref position, out _);
        if (lengthBytes.Length < 4)
        {
            throw new InvalidDataException($"struct '{name}' lacks its field-name length");
        }
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        ReadOnlySpan<byte> nameBytes = Element(data, ref position, out _);
        if (nameLength <= 0 || nameBytes.Length % nameLength != 0)
        {
            throw new InvalidDataException($"struct '{name}' has malformed field names");
        }
        var fields = new string[nameBytes.Length / nameLength];
        for (int f = 0; f < fields.Length; f++)
        {
            ReadOnlySpan<byte> field = nameBytes.Slice(f * nameLength, nameLength);
            int end = field.IndexOf((byte)0);
            fields[f] = Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        }
        // Elements in column-major order, each holding one array per field.
        var elements = new MatArray[count][];
        for (int e = 0; e < count; e++)
        {
            elements[e] = new MatArray[fields.Length];
            for (int f = 0; f < fields.Length; f++)
            {
                elements[e][f] = ReadMatrix(Element(data, ref position, out _, MiMatrix));
            }
        }
        return new MatArray(name, MxStruct, dimensions) { FieldNames = fields, Elements = elements };
    }

    private static string DecodeText(ReadOnlySpan<byte> bytes, int type, int[] dimensions)
    {
        string text = type switch
        {
            MiUtf8 or MiUInt8 or MiInt8 => Encoding.UTF8.GetString(bytes),
            MiUInt16 or MiUtf16 => Encoding.Unicode.GetString(bytes),
            MiUtf32 => Encoding.UTF32.GetString(bytes),
            _ => throw new InvalidDataException($"a char array is stored as data type {type}, not text"),
        };
        // A multi-row char matrix is stored column by column; read it row by row, rows joined by newlines.
        if (dimensions.Length == 2 && dimensions[0] > 1 && text.Length == dimensions[0] * dimensions[1])
        {
            var rows = new StringBuilder();
            for (int r = 0; r < dimensions[0]; r++)
            {
                if (r > 0)
                {
                    rows.Append('\n');
                }
                for (int c = 0; c < dimensions[1]; c++)
                {
                    rows.Append(text[(c * dimensions[0]) + r]);
                }
            }
            return rows.ToString();
        }
        return text;
    }

    private static double[] DecodeNumbers(ReadOnlySpan<byte> bytes, int type)
    {
        int size = type switch
        {
            MiInt8 or MiUInt8 => 1,
            MiInt16 or MiUInt16 => 2,
            MiInt32 or MiUInt32 or MiSingle => 4,
            MiDouble or MiInt64 or MiUInt64 => 8,
            _ => throw new InvalidDataException($"numeric data stored as data type {type} is not supported"),
        };
        if (bytes.Length % size != 0)
        {
            throw new InvalidDataException($"{bytes.Length} bytes are not a whole number of {size}-byte values");
        }
        var values = new double[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> v = bytes.Slice(i * size, size);
            values[i] = type switch
            {
                MiInt8 => (sbyte)v[0],
                MiUInt8 => v[0],
                MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(v),
                MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(v),
                MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(v),
                MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(v),
                MiSingle => BinaryPrimitives.ReadSingleLittleEndian(v),
                MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(v),
                MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(v),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(v),
            };
        }
        return values;
    }

    // One sub-element at `position` (advanced past it and its padding); `expected` checks its type when given.
    private static ReadOnlySpan<byte> Element(ReadOnlySpan<byte> data, ref int position, out int type, int expected = 0)
    {
        if (data.Length - position < 8)
        {
            throw new InvalidDataException("an array ends before one of its sub-elements");
        }
        (type, int length, int dataOffset, int next) = Tag(data, position);
        if (expected != 0 && type != expected)
        {
            throw new InvalidDataException($"expected data type {expected} in an array, found {type}");
        }
        ReadOnlySpan<byte> body = Slice(data, dataOffset, length);
        position = Math.Min(next, data.Length);
        return body;
    }

    // A tag: the small format (type and length in one word, up to 4 data bytes) or the full one; `Next` is past the padding.
    private static (int Type, int Length, int DataOffset, int Next) Tag(ReadOnlySpan<byte> data, int position)
    {
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(data[position..]);
        if ((first >> 16) != 0)
        {
            int small = (int)(first >> 16);
            if (small > 4)
            {
                throw new InvalidDataException($"a small data element claims {small} bytes (at most 4)");
            }
            return ((int)(first & 0xFFFF), small, position + 4, position + 8);
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
        if (length > (uint)(data.Length - position - 8))
        {
            throw new InvalidDataException($"an element of {length} bytes runs past the end of its container ({data.Length - position - 8} bytes left): the file is truncated or corrupt");
        }
        int padded = (int)((length + 7) & ~7u);
        return ((int)first, (int)length, position + 8, position + 8 + padded);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > data.Length - length)
        {
            throw new InvalidDataException("an element runs past the end of the file: the file is truncated or corrupt");
        }
        return data.Slice(offset, length);
    }
}
