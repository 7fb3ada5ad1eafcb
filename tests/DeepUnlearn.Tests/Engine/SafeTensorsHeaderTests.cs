using System;
using System.IO;
using System.Text;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>Malformed files: each is rejected by both <see cref="SafeTensors.ReadHeader"/> and
/// <see cref="SafeTensors.Load"/> with a message naming the file and the problem (ported from the first engine's
/// tests, DeepUnlearn.Torch.Tests/Serialization, with the same files and messages).</summary>
public sealed class SafeTensorsHeaderTests : IDisposable
{
    private readonly EngineTempDirectory _dir = new();

    public SafeTensorsHeaderTests() => TorchRuntime.EnsureInitialized();

    public void Dispose() => _dir.Dispose();

    [Theory]
    // Header not JSON, or not an object.
    [InlineData("{\"a\": ", 0, "header is not valid JSON")]
    [InlineData("[1, 2]", 0, "header JSON is an array ([1, 2]), not an object")]
    [InlineData("\"text\"", 0, "header JSON is a string")]
    // Entries missing a field or holding the wrong JSON type.
    [InlineData("{\"a\": 5}", 0, "entry of tensor 'a' is a number (5), not an object")]
    [InlineData("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "entry of tensor 'a' has no \"dtype\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4, "entry of tensor 'a' has no \"shape\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "entry of tensor 'a' has no \"data_offsets\"")]
    [InlineData("{\"a\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "\"dtype\" of tensor 'a' is a number (32), not a string")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}", 4, "\"shape\" of tensor 'a' is a string (\"1\"), not an array")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4, "shape[0] of tensor 'a' is a number (1.5), not a 64-bit integer")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": {\"begin\": 0}}}", 4, "\"data_offsets\" of tensor 'a' is an object")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4, "\"data_offsets\" of tensor 'a' has 1 items, not [begin, end]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, null]}}", 4, "data_offsets[1] of tensor 'a' is null, not a 64-bit integer")]
    // Unknown dtype; negative shape.
    [InlineData("{\"a\": {\"dtype\": \"F128\", \"shape\": [1], \"data_offsets\": [0, 16]}}", 16, "tensor 'a' has unknown dtype \"F128\"; valid: BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64")]
    [InlineData("{\"a\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "unknown dtype \"f32\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1, 2], \"data_offsets\": [0, 0]}}", 0, "tensor 'a' has negative dimension -1 in shape [-1, 2]")]
    // Offsets out of range, reversed, negative.
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8, "data_offsets [0, 16] of tensor 'a' reach past the end of the data buffer (8 bytes after the header)")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 0]}}", 8, "data_offsets [8, 0] of tensor 'a' end before they begin")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 8, "data_offsets [-4, 0] of tensor 'a' are negative")]
    // Size mismatch, overflow, sub-byte sizes.
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, "tensor 'a' is F32 with shape [3], 12 bytes, but its data_offsets [0, 8] span 8 bytes")]
    [InlineData("{\"a\": {\"dtype\": \"F64\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 8]}}", 8, "has more bytes than a 64-bit size can count")]
    [InlineData("{\"a\": {\"dtype\": \"F4\", \"shape\": [3], \"data_offsets\": [0, 2]}}", 2, "tensor 'a' of F4 with shape [3] is 12 bits, not a whole number of bytes")]
    // Overlaps, holes, uncovered bytes.
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12, "data_offsets [4, 12] of tensor 'b' overlap tensor 'a' at [0, 8]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"e\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 4]}}", 8, "data_offsets [4, 4] of tensor 'e' overlap tensor 'a'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", 12, "bytes [4, 8) of the data buffer belong to no tensor (a hole before tensor 'b')")]
    [InlineData("{\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "bytes [0, 4) of the data buffer belong to no tensor (a hole before tensor 'b')")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8, "the data buffer has 8 bytes but the tensors cover only [0, 4); the rest belongs to no tensor")]
    [InlineData("{}", 3, "the data buffer has 3 bytes but the tensors cover only [0, 0)")]
    // Metadata that is not a string map; duplicate names.
    [InlineData("{\"__metadata__\": {\"epoch\": 3}}", 0, "\"__metadata__\" value of key 'epoch' is a number (3), not a string")]
    [InlineData("{\"__metadata__\": {\"tags\": [\"a\"]}}", 0, "\"__metadata__\" value of key 'tags' is an array ([\"a\"]), not a string")]
    [InlineData("{\"__metadata__\": [\"a\"]}", 0, "\"__metadata__\" is an array ([\"a\"]), not an object of string values")]
    [InlineData("{\"__metadata__\": {\"k\": \"1\", \"k\": \"2\"}}", 0, "\"__metadata__\" names key 'k' twice")]
    [InlineData("{\"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}, \"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [1, 2]}}", 2, "header names 'a' twice (duplicate key)")]
    [InlineData("{\"__metadata__\": {}, \"__metadata__\": {}}", 0, "header names '__metadata__' twice")]
    public void ReadHeaderAndLoad_MalformedHeader_ThrowWithProblem(string header, int dataBytes, string problem)
    {
        string path = Write(Encoding.UTF8.GetBytes(header), new byte[dataBytes]);

        AssertRejected(path, problem);
    }

    [Fact]
    public void ReadHeader_FileShorterThanPrefix_Throws()
    {
        string path = _dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 0, 0, 0, 0]);

        AssertRejected(path, "file is 5 bytes long, shorter than the 8-byte header-length prefix");
    }

    [Fact]
    public void ReadHeader_HeaderLengthBeyondFile_Throws()
    {
        string path = WriteWithLength(100, "{}"u8.ToArray());

        AssertRejected(path, "header length 100 bytes is larger than the 2 bytes that follow the 8-byte prefix");
    }

    [Fact]
    public void ReadHeader_AbsurdHeaderLength_ThrowsWithoutAllocating()
    {
        string path = WriteWithLength(ulong.MaxValue, "{}"u8.ToArray());
        string path2 = WriteWithLength(100_000_001, "{}"u8.ToArray());

        AssertRejected(path, "header length 18446744073709551615 bytes exceeds the 100000000-byte limit");
        AssertRejected(path2, "header length 100000001 bytes exceeds the 100000000-byte limit");
    }

    [Fact]
    public void ReadHeader_InvalidUtf8_Throws()
    {
        string path = Write([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []);

        AssertRejected(path, "header is not valid UTF-8");
    }

    [Fact]
    public void ReadHeader_EmptyHeader_ThrowsNotJson()
    {
        string path = Write([], []);

        AssertRejected(path, "header is not valid JSON");
    }

    [Fact]
    public void ReadHeaderAndLoad_MissingFile_ThrowFileNotFoundNamingPath()
    {
        string path = _dir.File("absent.safetensors");

        var e1 = Assert.Throws<FileNotFoundException>(() => SafeTensors.ReadHeader(path));
        var e2 = Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(path));

        Assert.Contains(path, e1.Message, StringComparison.Ordinal);
        Assert.Equal(path, e2.FileName);
    }

    [Fact]
    public void Load_FormatDTypeTorchSharpCannotHold_ThrowsNotSupportedListingLoadable()
    {
        string path = Write(Encoding.UTF8.GetBytes("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"q\": {\"dtype\": \"U16\", \"shape\": [2], \"data_offsets\": [4, 8]}}"), new byte[8]);
        long before = torch.Tensor.TotalCount;

        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        var e = Assert.Throws<NotSupportedException>(() => SafeTensors.Load(path));

        Assert.Equal("U16", header["q"].DTypeName);
        Assert.Null(header["q"].DType);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'q' has dtype U16", e.Message, StringComparison.Ordinal);
        Assert.Contains("loadable: BOOL, U8, I8, I16, F16, BF16, I32, F32, C64, F64, I64", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void ReadHeader_PaddedAndUnpaddedHeaders_AreBothAccepted()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}");
        string unpadded = Write(json, [1, 2, 3]);
        string padded = Write([.. json, .. "      "u8], [1, 2, 3]);

        Assert.Equal(json.Length, SafeTensors.ReadHeader(unpadded).HeaderLength);
        Assert.Equal(json.Length + 6, SafeTensors.ReadHeader(padded).HeaderLength);
        Assert.Equal([3L], SafeTensors.ReadHeader(padded)["a"].Shape);
    }

    private static void AssertRejected(string path, string problem)
    {
        var fromHeader = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadHeader(path));
        long before = torch.Tensor.TotalCount;
        var fromLoad = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));

        foreach (SafeTensorsFormatException e in new[] { fromHeader, fromLoad })
        {
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Equal(path, e.FilePath);
        }
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    private string Write(byte[] header, byte[] data) => WriteWithLength((ulong)header.Length, [.. header, .. data]);

    private string WriteWithLength(ulong headerLength, byte[] rest)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".safetensors");
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(headerLength);
        writer.Write(rest);
        return path;
    }
}
