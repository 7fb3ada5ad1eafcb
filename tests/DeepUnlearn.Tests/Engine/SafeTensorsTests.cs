using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;
using ScalarType = TorchSharp.torch.ScalarType;

namespace DeepUnlearn.Tests.Engine;

/// <summary>The safetensors port to TorchSharp tensors (tests ported from DeepUnlearn.Torch.Tests/Serialization, plus the dtypes TorchSharp adds).</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private static readonly ScalarType[] s_allDTypes =
    [
        ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Int32,
        ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool, ScalarType.ComplexFloat32,
    ];

    private readonly EngineTempDirectory _dir = new();

    public SafeTensorsTests() => TorchRuntime.EnsureInitialized();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<ScalarType> AllDTypes()
    {
        var data = new TheoryData<ScalarType>();
        foreach (ScalarType dtype in s_allDTypes)
        {
            data.Add(dtype);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void SaveLoad_EveryDType_RoundTripsBitsAndShapes(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(1234 + (int)dtype);
        long[][] shapes = [[2, 3], [5], [], [0, 3], [0], [2, 1, 3, 1]];
        var tensors = new List<KeyValuePair<string, torch.Tensor>>();
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
            torch.Tensor loaded = file[name];
            Assert.Equal(dtype, loaded.dtype);
            Assert.Equal(original.shape, loaded.shape);
            Assert.Equal(Bytes(original), Bytes(loaded));
        }
    }

    [Fact]
    public void SaveLoad_MixedDTypesInOneFile_RoundTripsValues()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(7);
        var tensors = s_allDTypes
            .Select((dtype, i) => new KeyValuePair<string, torch.Tensor>($"layer{i}.weight", RandomTensor(random, [3, (i % 3) + 1], dtype)))
            .ToList();
        tensors.Add(new("scalar", torch.tensor(2.5, ScalarType.Float64)));
        string path = _dir.File("mixed.safetensors");

        SafeTensors.Save(path, tensors);
        using SafeTensorsFile file = SafeTensors.Load(path, torch.CPU);

        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, file[name].dtype);
            Assert.Equal(original.shape, file[name].shape);
            Assert.Equal(Bytes(original), Bytes(file[name]));
        }
        Assert.Empty(file["scalar"].shape);
        Assert.Equal(2.5, file["scalar"].item<double>());
    }

    [Fact]
    public void Save_NonContiguousTensor_WritesRowMajorValues()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor matrix = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        torch.Tensor transposed = matrix.t();
        Assert.False(transposed.is_contiguous());
        string path = _dir.File("transposed.safetensors");

        SafeTensors.Save(path, [new("t", transposed)]);
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal([3L, 2L], file["t"].shape);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], file["t"].data<float>().ToArray());
    }

    [Fact]
    public void Save_ParameterRequiringGrad_WritesItsValuesAndLeavesNoTensorBehind()
    {
        string path = _dir.File("param.safetensors");
        using var linear = torch.nn.Linear(3, 2);
        long before = torch.Tensor.TotalCount;

        SafeTensors.Save(path, linear.state_dict());

        Assert.Equal(before, torch.Tensor.TotalCount);
        using SafeTensorsFile file = SafeTensors.Load(path);
        Assert.True(file["weight"].Same(linear.weight.detach()));
        Assert.False(file["weight"].requires_grad);
    }

    [Fact]
    public void SaveLoad_Metadata_RoundTripsIncludingEscapes()
    {
        using var scope = torch.NewDisposeScope();
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

        SafeTensors.Save(path, [new("w \"quoted\" ü", torch.ones(2))], metadata);
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), file.Metadata.ToList());
        Assert.Equal([1f, 1f], file["w \"quoted\" ü"].data<float>().ToArray());
        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), SafeTensors.ReadHeader(path).Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Load_FileWithoutMetadata_GivesEmptyMetadata()
    {
        using var scope = torch.NewDisposeScope();
        string path = _dir.File("nometa.safetensors");
        SafeTensors.Save(path, [new("a", torch.zeros(1))]);

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

        using var scope = torch.NewDisposeScope();
        using SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(new[] { "a", "b", "flag" }, file.Tensors.Keys.ToArray()); // file (offset) order
        Assert.Equal([2L, 2L], file["a"].shape);
        Assert.Equal([1.5f, -2f, 0.25f, 1e-3f], file["a"].data<float>().ToArray());
        Assert.Equal([-7L, long.MaxValue], file["b"].data<long>().ToArray());
        Assert.Equal(ScalarType.Bool, file["flag"].dtype);
        Assert.Empty(file["flag"].shape);
        Assert.True(file["flag"].item<bool>());
        Assert.Equal("12", file.Metadata["epoch"]);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Load_PythonWrittenGolden_ReadsValuesAndMetadata()
    {
        // Golden/python_written.safetensors comes from Golden/make_safetensors_golden.py, an
        // independent standard-library writer that follows the spec and the reference layout.
        using var scope = torch.NewDisposeScope();
        using SafeTensorsFile file = SafeTensors.Load(GoldenPath("python_written.safetensors"));

        Assert.Equal("smallcnn", file.Metadata["architecture"]);
        Assert.Equal("3", file.Metadata["epoch"]);
        Assert.Equal("written by a pure-Python writer ✓", file.Metadata["note"]);

        Assert.Equal([2L, 3L], file["fc.weight"].shape);
        Assert.Equal([0.5f, -1.25f, 3.0f, 0.1f, -0.0f, 1e-30f], file["fc.weight"].data<float>().ToArray());
        Assert.True(float.IsNegative(file["fc.weight"].data<float>()[4]));
        Assert.Equal([Math.PI, -Math.Pow(2, -40), 1e300], file["fc.bias"].data<double>().ToArray());
        Assert.Empty(file["step"].shape);
        Assert.Equal(123456789012L, file["step"].item<long>());
        Assert.Equal([0, -1, int.MaxValue, int.MinValue], file["labels"].data<int>().ToArray());
        Assert.Equal([true, false, false, true], file["mask"].data<bool>().ToArray());
        Assert.Equal(new byte[] { 0, 1, 127, 128, 255 }, file["pixels"].data<byte>().ToArray());
        Assert.Equal([(Half)1.0, (Half)(-0.5), (Half)65504.0], file["half"].data<Half>().ToArray());
        Assert.Equal(ScalarType.BFloat16, file["brain"].dtype);
        Assert.Equal([1.0f, -2.5f, 0.15625f, 65536.0f], file["brain"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal([0L, 4L], file["empty"].shape);
        Assert.Equal(9, file.Tensors.Count);
    }

    [Fact]
    public void Save_PythonGoldenContents_ReproducesItsBytesExactly()
    {
        // The Python writer and ours both follow the reference layout (rank-then-name order, metadata
        // first with sorted keys, compact JSON, space padding to 8), so re-saving what it wrote must
        // give the same bytes: our files have the layout the reference writer produces.
        using var scope = torch.NewDisposeScope();
        string path = _dir.File("resaved.safetensors");
        using (SafeTensorsFile file = SafeTensors.Load(GoldenPath("python_written.safetensors")))
        {
            SafeTensors.Save(path, file.Tensors.Reverse(), file.Metadata);
        }

        Assert.Equal(File.ReadAllBytes(GoldenPath("python_written.safetensors")), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("attn.0", "[1,2,3]", 64)]
    [InlineData("attn0", "[1,1,2,3]", 72)]
    public void Save_ReferenceTestVectors_MatchByteForByte(string name, string shapeJson, int headerLength)
    {
        // The reference implementation's own serialization tests: one F32 tensor holding 0..5. The
        // second header is 65 bytes of JSON and gets 7 spaces of padding.
        using var scope = torch.NewDisposeScope();
        long[] shape = JsonSerializer.Deserialize<long[]>(shapeJson)!;
        string path = _dir.File("vector.safetensors");

        SafeTensors.Save(path, [new(name, torch.arange(0, 6, 1, ScalarType.Float32).reshape(shape))]);

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
        using var scope = torch.NewDisposeScope();
        var random = new Random(3);
        var tensors = new List<KeyValuePair<string, torch.Tensor>>
        {
            new("z.mask", RandomTensor(random, [3], ScalarType.Bool)),
            new("b.half", RandomTensor(random, [3], ScalarType.Float16)),
            new("a.double", RandomTensor(random, [1], ScalarType.Float64)),
            new("c.float", RandomTensor(random, [3], ScalarType.Float32)),
            new("a.float", RandomTensor(random, [1], ScalarType.Float32)),
            new("d.long", RandomTensor(random, [2], ScalarType.Int64)),
            new("e.bytes", RandomTensor(random, [5], ScalarType.Byte)),
            new("f.int", RandomTensor(random, [1], ScalarType.Int32)),
            new("g.bf16", RandomTensor(random, [1], ScalarType.BFloat16)),
            new("h.complex", RandomTensor(random, [1], ScalarType.ComplexFloat32)),
            new("i.short", RandomTensor(random, [1], ScalarType.Int16)),
            new("j.sbyte", RandomTensor(random, [2], ScalarType.Int8)),
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
            torch.Tensor original = tensors.Single(kv => kv.Key == property.Name).Value;
            Assert.Equal(expectedBegin, begin);
            Assert.Equal(0, (8 + n + begin) % original.ElementSize);
            Assert.Equal(Bytes(original), bytes.AsSpan((int)(8 + n + begin), (int)(end - begin)).ToArray());
            expectedBegin = end;
        }
        Assert.Equal(bytes.Length - 8 - n, expectedBegin);
        // The reference's dtype order, descending: I64, F64, C64, F32, I32, BF16, F16, I16, I8, U8, BOOL.
        Assert.Equal(
            new[] { "d.long", "a.double", "h.complex", "a.float", "c.float", "f.int", "g.bf16", "b.half", "i.short", "j.sbyte", "e.bytes", "z.mask" },
            order);
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTempFiles()
    {
        using var scope = torch.NewDisposeScope();
        string path = _dir.File("ckpt.safetensors");
        SafeTensors.Save(path, [new("w", torch.zeros(2))]);

        SafeTensors.Save(path, [new("w", torch.ones(3))]);

        using SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal([1f, 1f, 1f], file["w"].data<float>().ToArray());
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Save_DisposedTensorInList_ThrowsAndKeepsOldFile()
    {
        using var scope = torch.NewDisposeScope();
        string path = _dir.File("ckpt.safetensors");
        SafeTensors.Save(path, [new("w", torch.full(4, 7))]);
        byte[] before = File.ReadAllBytes(path);
        torch.Tensor disposed = torch.ones(2);
        disposed.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() =>
            SafeTensors.Save(path, [new("good", torch.ones(8)), new("bad", disposed)]));

        Assert.Contains("'bad'", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Save_FailureAfterDataWritten_DeletesTempFile()
    {
        // The target is a directory: the temp file is written and flushed in full, then the final
        // rename fails. The directory must be untouched and the temp file gone.
        using var scope = torch.NewDisposeScope();
        string target = _dir.File("occupied");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "inside.txt"), "keep");

        Assert.ThrowsAny<IOException>(() => SafeTensors.Save(target, [new("w", torch.ones(1000))]));

        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "inside.txt")));
    }

    [Fact]
    public void Save_InvalidNamesOrMetadataOrDType_ThrowsArgumentException()
    {
        using var scope = torch.NewDisposeScope();
        string path = _dir.File("bad.safetensors");
        torch.Tensor t = torch.ones(1);

        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a", t), new("a", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("__metadata__", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a", null!)])).Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [new("a\ud800", t)])).Message, StringComparison.Ordinal);
        Assert.Contains("'k'", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(path, [new("a", t)], new Dictionary<string, string> { ["k"] = null! })).Message, StringComparison.Ordinal);
        Assert.Contains("savable: BOOL, U8, I8, I16, F16, BF16, I32, F32, C64, F64, I64", Assert.Throws<NotSupportedException>(() =>
            SafeTensors.Save(path, [new("c", torch.ones(new long[] { 1 }, ScalarType.ComplexFloat64))])).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Load_InsideScope_TensorsBelongToFileNotScope()
    {
        string path = _dir.File("own.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafeTensors.Save(path, [new("a", torch.ones(2)), new("b", torch.zeros(3))]);
        }
        long before = torch.Tensor.TotalCount;

        SafeTensorsFile file;
        using (var scope = torch.NewDisposeScope())
        {
            file = SafeTensors.Load(path);
        }
        Assert.Equal(before + 2, torch.Tensor.TotalCount);
        Assert.Equal([1f, 1f], file["a"].data<float>().ToArray());

        torch.Tensor taken = file.Take("b");
        file.Dispose();
        Assert.Equal(before + 1, torch.Tensor.TotalCount);
        Assert.Throws<ObjectDisposedException>(() => file.Tensors);
        Assert.Equal([0f, 0f, 0f], taken.data<float>().ToArray());
        taken.Dispose();
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void SaveLoad_ModuleStateDict_RestoresIntoFreshModule()
    {
        string path = _dir.File("model.safetensors");
        using var trained = TinyNet(seed: 1);
        using var fresh = TinyNet(seed: 2);
        // Measured after the modules exist: TorchSharp's layer constructors leave a few handles to the finalizer.
        long before = torch.Tensor.TotalCount;
        {
            SafeTensors.Save(path, trained.state_dict(), new Dictionary<string, string> { ["architecture"] = "tinynet" });
            using (SafeTensorsFile file = SafeTensors.Load(path))
            {
                Assert.Equal("tinynet", file.Metadata["architecture"]);
                StrictStateLoader.Load(fresh, file.Tensors);
            }
            var trainedState = trained.state_dict();
            foreach (var (name, b) in fresh.state_dict())
            {
                Assert.True(Bytes(trainedState[name]).AsSpan().SequenceEqual(Bytes(b)), name);
            }
        }
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void ReadHeader_GivesNamesDTypesShapesWithoutLoadingTensors()
    {
        string path = _dir.File("header.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafeTensors.Save(
                path,
                [new("conv.weight", torch.zeros(4, 3, 3, 3)), new("conv.bias", torch.zeros(new long[] { 4 }, ScalarType.Float64)), new("steps", torch.tensor(3L))],
                new Dictionary<string, string> { ["architecture"] = "smallcnn" });
        }
        long before = torch.Tensor.TotalCount;

        SafeTensorsHeader header = SafeTensors.ReadHeader(path);

        Assert.Equal(before, torch.Tensor.TotalCount);
        Assert.Equal("smallcnn", header.Metadata["architecture"]);
        Assert.Equal(3, header.Tensors.Count);
        Assert.Equal("F32", header["conv.weight"].DTypeName);
        Assert.Equal(ScalarType.Float32, header["conv.weight"].DType);
        Assert.Equal([4L, 3L, 3L, 3L], header["conv.weight"].Shape);
        Assert.Equal(108, header["conv.weight"].NumEl);
        Assert.Equal(432, header["conv.weight"].ByteCount);
        Assert.Equal(ScalarType.Int64, header["steps"].DType);
        Assert.Empty(header["steps"].Shape);
        Assert.True(header.Contains("conv.bias"));
        Assert.False(header.Contains("fc.weight"));
        Assert.Equal(new FileInfo(path).Length, header.DataStart + header.DataLength);
        Assert.Contains("conv.bias", Assert.Throws<KeyNotFoundException>(() => header["fc.weight"]).Message, StringComparison.Ordinal);
    }

    internal static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Engine", "Golden", name);

    /// <summary>A tensor's bytes (contiguous CPU copy).</summary>
    internal static byte[] Bytes(torch.Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        return tensor.detach().cpu().contiguous().bytes.ToArray();
    }

    private static byte[] FileBytes(ulong headerLength, string header) =>
        [.. BitConverter.GetBytes(headerLength), .. Encoding.UTF8.GetBytes(header)];

    /// <summary>A tensor with random bytes (0/1 for bool), so every bit pattern is exercised.</summary>
    private static torch.Tensor RandomTensor(Random random, long[] shape, ScalarType dtype)
    {
        torch.Tensor tensor = torch.empty(shape, dtype);
        var bytes = new byte[tensor.numel() * tensor.ElementSize];
        random.NextBytes(bytes);
        if (dtype == ScalarType.Bool)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }
        tensor.bytes = bytes;
        return tensor;
    }

    private static torch.nn.Module<torch.Tensor, torch.Tensor> TinyNet(ulong seed)
    {
        var net = torch.nn.Sequential(("fc", torch.nn.Linear(4, 3)), ("bn", torch.nn.BatchNorm1d(3)));
        SeededInitializer.Initialize(net, seed, InitRules.PyTorchDefault);
        using (torch.no_grad())
        {
            // Non-default buffers, so the round trip shows them.
            net.state_dict()["bn.running_mean"].fill_(seed);
            net.state_dict()["bn.num_batches_tracked"].fill_((long)seed);
        }
        return net;
    }
}
