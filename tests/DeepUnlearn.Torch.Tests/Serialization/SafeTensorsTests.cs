using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DeepUnlearn.Torch.Serialization;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private static readonly DType[] s_allDTypes =
        [DType.Float32, DType.Float64, DType.Float16, DType.BFloat16, DType.Int64, DType.Int32, DType.UInt8, DType.Bool];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<DType> AllDTypes()
    {
        var data = new TheoryData<DType>();
        foreach (DType dtype in s_allDTypes)
        {
            data.Add(dtype);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void SaveLoad_EveryDType_RoundTripsBitsAndShapes(DType dtype)
    {
        using var scope = TensorScope.Begin();
        var random = new Random(1234 + (int)dtype);
        long[][] shapes = [[2, 3], [5], [], [0, 3], [0], [2, 1, 3, 1]];
        var tensors = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < shapes.Length; i++)
        {
            tensors.Add(new($"t{i}", RandomTensor(random, shapes[i], dtype)));
        }
        string path = _dir.File("all.safetensors");

        SafeTensors.Save(path, tensors);
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(tensors.Count, file.Tensors.Count);
        foreach (var (name, original) in tensors)
        {
            Tensor loaded = file[name];
            Assert.Equal(dtype, loaded.DType);
            Assert.Equal(original.ShapeArray(), loaded.ShapeArray());
            Assert.Equal(original.ToBytes(), loaded.ToBytes());
        }
    }

    [Fact]
    public void SaveLoad_MixedDTypesInOneFile_RoundTripsValues()
    {
        using var scope = TensorScope.Begin();
        var random = new Random(7);
        var tensors = s_allDTypes
            .Select((dtype, i) => new KeyValuePair<string, Tensor>($"layer{i}.weight", RandomTensor(random, [3, (i % 3) + 1], dtype)))
            .ToList();
        tensors.Add(new("scalar", Tensor.Scalar(2.5, DType.Float64)));
        string path = _dir.File("mixed.safetensors");

        SafeTensors.Save(path, tensors);
        using SafeTensorsFile file = SafeTensors.Load(path, Device.Cpu);

        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.DType, file[name].DType);
            Assert.Equal(original.ShapeArray(), file[name].ShapeArray());
            Assert.Equal(original.ToBytes(), file[name].ToBytes());
        }
        Assert.Empty(file["scalar"].ShapeArray());
        Assert.Equal(2.5, file["scalar"].Item());
    }

    [Fact]
    public void Save_NonContiguousTensor_WritesRowMajorValues()
    {
        using var scope = TensorScope.Begin();
        Tensor matrix = Tensor.From<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        Tensor transposed = matrix.Transpose(0, 1);
        Assert.False(transposed.IsContiguous);
        string path = _dir.File("transposed.safetensors");

        SafeTensors.Save(path, [new("t", transposed)]);
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal([3L, 2L], file["t"].ShapeArray());
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], file["t"].ToArray<float>());
    }

    [Fact]
    public void SaveLoad_Metadata_RoundTripsIncludingEscapes()
    {
        using var scope = TensorScope.Begin();
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = "resnet18",
            ["classes"] = "[\"airplane\", \"automobile\"]",
            ["path"] = @"C:\runs\seed 1",
            ["multi\nline"] = "tab\there, bell\u0007, nul\u0000 end",
            ["unicode"] = "Größe ✓ 😀",
            ["empty"] = string.Empty,
        };
        string path = _dir.File("meta.safetensors");

        SafeTensors.Save(path, [new("w \"quoted\" ü", Tensor.Ones([2]))], metadata);
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), file.Metadata.ToList());
        Assert.Equal([1f, 1f], file["w \"quoted\" ü"].ToArray<float>());
        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), SafeTensors.ReadHeader(path).Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Load_FileWithoutMetadata_GivesEmptyMetadata()
    {
        using var scope = TensorScope.Begin();
        string path = _dir.File("nometa.safetensors");
        SafeTensors.Save(path, [new("a", Tensor.Zeros([1]))]);

        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Empty(file.Metadata);
        Assert.DoesNotContain("__metadata__", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HandWrittenFileFromSpec_ReadsValues()
    {
        // Built byte by byte from the format description: keys in no particular order, the metadata
        // last, whitespace inside the JSON, no padding; offsets relative to the data buffer.
        string header = """
            { "b" : {"shape": [2], "dtype": "I64", "data_offsets": [16, 32]},
              "a": {"data_offsets": [0, 16], "dtype": "F32", "shape": [2, 2]},
              "flag": {"dtype": "BOOL", "shape": [], "data_offsets": [32, 33]},
              "__metadata__": {"format": "pt", "epoch": "12"} }
            """;
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        string path = _dir.File("hand.safetensors");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write((ulong)headerBytes.Length); // BinaryWriter writes little-endian
            writer.Write(headerBytes);
            foreach (float v in new[] { 1.5f, -2f, 0.25f, 1e-3f })
            {
                writer.Write(v);
            }
            writer.Write(-7L);
            writer.Write(long.MaxValue);
            writer.Write((byte)1);
        }

        using var scope = TensorScope.Begin();
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(new[] { "a", "b", "flag" }, file.Tensors.Keys.ToArray()); // file (offset) order
        Assert.Equal([2L, 2L], file["a"].ShapeArray());
        Assert.Equal([1.5f, -2f, 0.25f, 1e-3f], file["a"].ToArray<float>());
        Assert.Equal([-7L, long.MaxValue], file["b"].ToArray<long>());
        Assert.Equal(DType.Bool, file["flag"].DType);
        Assert.Empty(file["flag"].ShapeArray());
        Assert.Equal(1.0, file["flag"].Item());
        Assert.Equal("12", file.Metadata["epoch"]);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Load_PythonWrittenGolden_ReadsValuesAndMetadata()
    {
        // Golden/python_written.safetensors comes from Golden/make_safetensors_golden.py, an
        // independent standard-library writer that follows the spec and the reference layout.
        using var scope = TensorScope.Begin();
        using SafeTensorsFile file = SafeTensors.Load(GoldenPath);

        Assert.Equal("smallcnn", file.Metadata["architecture"]);
        Assert.Equal("3", file.Metadata["epoch"]);
        Assert.Equal("written by a pure-Python writer ✓", file.Metadata["note"]);

        Assert.Equal([2L, 3L], file["fc.weight"].ShapeArray());
        Assert.Equal([0.5f, -1.25f, 3.0f, 0.1f, -0.0f, 1e-30f], file["fc.weight"].ToArray<float>());
        Assert.True(float.IsNegative(file["fc.weight"].ToArray<float>()[4]));
        Assert.Equal([Math.PI, -Math.Pow(2, -40), 1e300], file["fc.bias"].ToArray<double>());
        Assert.Empty(file["step"].ShapeArray());
        Assert.Equal(123456789012L, file["step"].ItemInt64());
        Assert.Equal([0, -1, int.MaxValue, int.MinValue], file["labels"].ToArray<int>());
        Assert.Equal([true, false, false, true], file["mask"].ToArray<bool>());
        Assert.Equal(new byte[] { 0, 1, 127, 128, 255 }, file["pixels"].ToArray<byte>());
        Assert.Equal([(Half)1.0, (Half)(-0.5), (Half)65504.0], file["half"].ToArray<Half>());
        Assert.Equal(DType.BFloat16, file["brain"].DType);
        Assert.Equal([1.0f, -2.5f, 0.15625f, 65536.0f], file["brain"].To(DType.Float32).ToArray<float>());
        Assert.Equal([0L, 4L], file["empty"].ShapeArray());
        Assert.Equal(9, file.Tensors.Count);
    }

    [Fact]
    public void Save_PythonGoldenContents_ReproducesItsBytesExactly()
    {
        // The Python writer and ours both follow the reference layout (rank-then-name order, metadata
        // first with sorted keys, compact JSON, space padding to 8), so re-saving what it wrote must
        // give the same bytes: our files have the layout the reference writer produces.
        using var scope = TensorScope.Begin();
        string path = _dir.File("resaved.safetensors");
        using (SafeTensorsFile file = SafeTensors.Load(GoldenPath))
        {
            SafeTensors.Save(path, file.Tensors.Reverse(), file.Metadata);
        }

        Assert.Equal(File.ReadAllBytes(GoldenPath), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("attn.0", "[1,2,3]", 64)]
    [InlineData("attn0", "[1,1,2,3]", 72)]
    public void Save_ReferenceTestVectors_MatchByteForByte(string name, string shapeJson, int headerLength)
    {
        // The reference implementation's own serialization tests: one F32 tensor holding 0..5. The
        // second header is 65 bytes of JSON and gets 7 spaces of padding.
        using var scope = TensorScope.Begin();
        long[] shape = JsonSerializer.Deserialize<long[]>(shapeJson)!;
        string path = _dir.File("vector.safetensors");

        SafeTensors.Save(path, [new(name, Tensor.Arange(0, 6, 1, DType.Float32).Reshape(shape))]);

        string json = $"{{\"{name}\":{{\"dtype\":\"F32\",\"shape\":{shapeJson},\"data_offsets\":[0,24]}}}}";
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)headerLength));
        expected.AddRange(Encoding.UTF8.GetBytes(json.PadRight(headerLength)));
        foreach (float v in new float[] { 0, 1, 2, 3, 4, 5 })
        {
            expected.AddRange(BitConverter.GetBytes(v));
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Save_NoTensors_WritesReferenceEmptyFiles()
    {
        string empty = _dir.File("empty.safetensors");
        string withMeta = _dir.File("meta-only.safetensors");

        SafeTensors.Save(empty, []);
        SafeTensors.Save(withMeta, [], new Dictionary<string, string> { ["framework"] = "pt" });

        Assert.Equal(FileBytes(8, "{}      "), File.ReadAllBytes(empty));
        Assert.Equal(FileBytes(40, "{\"__metadata__\":{\"framework\":\"pt\"}}     "), File.ReadAllBytes(withMeta));
        using SafeTensorsFile file = SafeTensors.Load(withMeta);
        Assert.Empty(file.Tensors);
        Assert.Equal("pt", file.Metadata["framework"]);
    }

    [Fact]
    public void Save_WrittenHeader_FollowsLayoutRules()
    {
        // Re-parse a written header without our reader: N is a multiple of 8, padding is spaces
        // after the JSON, tensors are stored by descending dtype rank then name, offsets are
        // contiguous from 0 to the end of the file, and each tensor starts aligned to its element size.
        using var scope = TensorScope.Begin();
        var random = new Random(3);
        var tensors = new List<KeyValuePair<string, Tensor>>
        {
            new("z.mask", RandomTensor(random, [3], DType.Bool)),
            new("b.half", RandomTensor(random, [3], DType.Float16)),
            new("a.double", RandomTensor(random, [1], DType.Float64)),
            new("c.float", RandomTensor(random, [3], DType.Float32)),
            new("a.float", RandomTensor(random, [1], DType.Float32)),
            new("d.long", RandomTensor(random, [2], DType.Int64)),
            new("e.bytes", RandomTensor(random, [5], DType.UInt8)),
            new("f.int", RandomTensor(random, [1], DType.Int32)),
            new("g.bf16", RandomTensor(random, [1], DType.BFloat16)),
        };
        string path = _dir.File("layout.safetensors");

        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        string trimmed = header.TrimEnd(' ');
        Assert.EndsWith("}", trimmed, StringComparison.Ordinal);
        Assert.True(header.Length - trimmed.Length < 8, "at most 7 padding spaces");
        Assert.StartsWith("{\"__metadata__\":{\"k\":\"v\"},", header, StringComparison.Ordinal);

        using JsonDocument document = JsonDocument.Parse(trimmed);
        var order = new List<string>();
        long expectedBegin = 0;
        foreach (JsonProperty property in document.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            order.Add(property.Name);
            long begin = property.Value.GetProperty("data_offsets")[0].GetInt64();
            long end = property.Value.GetProperty("data_offsets")[1].GetInt64();
            Tensor original = tensors.Single(kv => kv.Key == property.Name).Value;
            Assert.Equal(expectedBegin, begin);
            Assert.Equal(0, (8 + n + begin) % original.DType.ElementSize());
            Assert.Equal(original.ToBytes(), bytes.AsSpan((int)(8 + n + begin), (int)(end - begin)).ToArray());
            expectedBegin = end;
        }
        Assert.Equal(bytes.Length - 8 - n, expectedBegin);
        Assert.Equal(new[] { "d.long", "a.double", "a.float", "c.float", "f.int", "g.bf16", "b.half", "e.bytes", "z.mask" }, order);
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTempFiles()
    {
        using var scope = TensorScope.Begin();
        string path = _dir.File("ckpt.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Zeros([2]))]);

        SafeTensors.Save(path, [new("w", Tensor.Ones([3]))]);

        using SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal([1f, 1f, 1f], file["w"].ToArray<float>());
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Save_DisposedTensorInList_ThrowsAndKeepsOldFile()
    {
        using var scope = TensorScope.Begin();
        string path = _dir.File("ckpt.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Full([4], 7))]);
        byte[] before = File.ReadAllBytes(path);
        Tensor disposed = Tensor.Ones([2]);
        disposed.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() =>
            SafeTensors.Save(path, [new("good", Tensor.Ones([8])), new("bad", disposed)]));

        Assert.Contains("'bad'", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Save_FailureAfterDataWritten_DeletesTempFile()
    {
        // The target is a directory: the temp file is written and flushed in full, then the final
        // rename fails. The directory must be untouched and the temp file gone.
        using var scope = TensorScope.Begin();
        string target = _dir.File("occupied");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "inside.txt"), "keep");

        Assert.ThrowsAny<IOException>(() => SafeTensors.Save(target, [new("w", Tensor.Ones([1000]))]));

        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "inside.txt")));
    }

    [Fact]
    public void Save_InvalidNamesOrMetadata_ThrowsArgumentException()
    {
        using var scope = TensorScope.Begin();
        string path = _dir.File("bad.safetensors");
        Tensor t = Tensor.Ones([1]);

        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a", t), new("a", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("__metadata__", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a", null!)])).Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a\ud800", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("'k'", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(path, [new("a", t)], new Dictionary<string, string> { ["k"] = null! })).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Load_InsideScope_TensorsBelongToFileNotScope()
    {
        string path = _dir.File("own.safetensors");
        using (var scope = TensorScope.Begin())
        {
            SafeTensors.Save(path, [new("a", Tensor.Ones([2])), new("b", Tensor.Zeros([3]))]);
        }
        long before = Tensor.LiveCount;

        SafeTensorsFile file;
        using (var scope = TensorScope.Begin())
        {
            file = SafeTensors.Load(path);
        }
        Assert.Equal(before + 2, Tensor.LiveCount);
        Assert.Equal([1f, 1f], file["a"].ToArray<float>());

        Tensor taken = file.Take("b");
        file.Dispose();
        Assert.Equal(before + 1, Tensor.LiveCount);
        Assert.Throws<ObjectDisposedException>(() => file.Tensors);
        Assert.Equal([0f, 0f, 0f], taken.ToArray<float>());
        taken.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void SaveLoad_ModuleStateDict_RestoresIntoFreshModule()
    {
        string path = _dir.File("model.safetensors");
        long before = Tensor.LiveCount;
        using (var trained = new TinyNet(seed: 1))
        using (var fresh = new TinyNet(seed: 2))
        {
            SafeTensors.Save(path, trained.StateDict(), new Dictionary<string, string> { ["architecture"] = "tinynet" });
            using (SafeTensorsFile file = SafeTensors.Load(path))
            {
                Assert.Equal("tinynet", file.Metadata["architecture"]);
                fresh.LoadStateDict(file.Tensors);
            }
            foreach (var ((name, a), (_, b)) in trained.StateDict().Zip(fresh.StateDict()))
            {
                Assert.True(a.ToBytes().AsSpan().SequenceEqual(b.ToBytes()), name);
            }
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void ReadHeader_GivesNamesDTypesShapesWithoutLoadingTensors()
    {
        string path = _dir.File("header.safetensors");
        using (var scope = TensorScope.Begin())
        {
            SafeTensors.Save(
                path,
                [new("conv.weight", Tensor.Zeros([4, 3, 3, 3])), new("conv.bias", Tensor.Zeros([4], DType.Float64)), new("steps", Tensor.Scalar(3, DType.Int64))],
                new Dictionary<string, string> { ["architecture"] = "smallcnn" });
        }
        long before = Tensor.LiveCount;

        SafeTensorsHeader header = SafeTensors.ReadHeader(path);

        Assert.Equal(before, Tensor.LiveCount);
        Assert.Equal("smallcnn", header.Metadata["architecture"]);
        Assert.Equal(3, header.Tensors.Count);
        Assert.Equal("F32", header["conv.weight"].DTypeName);
        Assert.Equal(DType.Float32, header["conv.weight"].DType);
        Assert.Equal([4L, 3L, 3L, 3L], header["conv.weight"].Shape);
        Assert.Equal(108, header["conv.weight"].NumEl);
        Assert.Equal(432, header["conv.weight"].ByteCount);
        Assert.Equal(DType.Int64, header["steps"].DType);
        Assert.Empty(header["steps"].Shape);
        Assert.True(header.Contains("conv.bias"));
        Assert.False(header.Contains("fc.weight"));
        Assert.Equal(new FileInfo(path).Length, header.DataStart + header.DataLength);
        Assert.Contains("conv.bias", Assert.Throws<KeyNotFoundException>(() => header["fc.weight"]).Message, StringComparison.Ordinal);
    }

    private static byte[] FileBytes(ulong headerLength, string header) =>
        [.. BitConverter.GetBytes(headerLength), .. Encoding.UTF8.GetBytes(header)];

    private static string GoldenPath => Path.Combine(AppContext.BaseDirectory, "Golden", "python_written.safetensors");

    /// <summary>A tensor with random bytes (0/1 for bool), built from raw bytes so every bit pattern is exercised.</summary>
    private static Tensor RandomTensor(System.Random random, long[] shape, DType dtype)
    {
        long numEl = shape.Aggregate(1L, (a, b) => a * b);
        var bytes = new byte[numEl * dtype.ElementSize()];
        random.NextBytes(bytes);
        if (dtype == DType.Bool)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }
        return Tensor.FromBytes(bytes, shape, dtype);
    }

    private sealed class TinyNet : DeepUnlearn.Torch.Nn.Module
    {
        public TinyNet(ulong seed)
        {
            using var generator = new Generator(seed);
            RegisterParameter("weight", Tensor.Randn([3, 4], generator: generator));
            RegisterParameter("bias", Tensor.Randn([3], generator: generator));
            RegisterBuffer("steps", Tensor.Scalar(seed, DType.Int64));
        }

        public override Tensor Forward(Tensor input) =>
            Nn.Functional.Linear(input, Parameter("weight"), Parameter("bias"));
    }
}
