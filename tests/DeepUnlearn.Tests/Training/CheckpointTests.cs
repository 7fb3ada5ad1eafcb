using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using Xunit;

namespace DeepUnlearn.Tests.Training;

public class CheckpointTests
{
    private static CheckpointMetadata MetadataFor(ClassifierModel model) => new()
    {
        Model = model.Spec!,
        Dataset = "squares",
        ClassNames = ["a", "b", "c", "d"],
        NormalizationMean = [0.5f],
        NormalizationStd = [0.25f],
        Epoch = 7,
    };

    [Fact]
    public void SaveLoad_RebuildsTheSameModel()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 4 });
        model.eval();
        string path = dir.Combine("m.safetensors");
        Checkpoint.Save(path, model, MetadataFor(model));

        var (loaded, metadata) = Checkpoint.Load(path, torch.CPU);
        using (loaded)
        {
            loaded.eval();
            Assert.Equal(7, metadata.Epoch);
            Assert.Equal("smallcnn", metadata.Model.Name);
            Assert.Equal(["a", "b", "c", "d"], metadata.ClassNames);
            Tensor x = torch.randn([3, 1, 12, 12]);
            Assert.Equal(model.call(x).data<float>().ToArray(), loaded.call(x).data<float>().ToArray());
        }
        // The weights file is a plain torchvision-named state dict.
        var header = SafeTensors.ReadHeader(path);
        Assert.Equal(model.state_dict().Select(kv => kv.Key).Order(StringComparer.Ordinal), header.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadInto_AnotherArchitecture_FailsWithBothNames()
    {
        using var dir = new TempDirectory();
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12 });
        string path = dir.Combine("m.safetensors");
        Checkpoint.Save(path, model, MetadataFor(model));
        using ClassifierModel other = ModelRegistry.Create("allcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12 });
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadInto(path, other));
        Assert.Contains("smallcnn", e.Message, StringComparison.Ordinal);
        Assert.Contains("allcnn", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetadata_ForeignSafetensors_SaysWhatIsMissing()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("foreign.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafeTensors.Save(path, [new("w", torch.zeros([2]))]);
        }
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadMetadata(path));
        Assert.Contains("deepunlearn.checkpoint", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites the checkpoint's metadata JSON (both keys) with <paramref name="edit"/>, keeping the weights.</summary>
    internal static void EditMetadata(string path, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        using var scope = torch.NewDisposeScope();
        System.Collections.Generic.Dictionary<string, string> meta;
        System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, Tensor>> tensors;
        using (SafeTensorsFile file = SafeTensors.Load(path))
        {
            meta = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            tensors = file.Tensors.Select(kv => new System.Collections.Generic.KeyValuePair<string, Tensor>(kv.Key, kv.Value.clone())).ToList();
        }
        var checkpoint = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(meta[CheckpointMetadata.MetadataKey])!;
        edit(checkpoint);
        meta[CheckpointMetadata.MetadataKey] = checkpoint.ToJsonString();
        if (checkpoint["model"] is System.Text.Json.Nodes.JsonObject model)
        {
            meta[ModelSpec.MetadataKey] = model.ToJsonString();
        }
        SafeTensors.Save(path, tensors, meta);
    }

    private static long PeakRssBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    [Fact]
    public void Load_MetadataClaimingMillionsOfClasses_FailsFastWithoutAllocatingTheModel()
    {
        // Issue 13 item 14: num_classes = 4,000,000 in a small file built a 2 GB head before the shapes were compared.
        using var dir = new TempDirectory();
        using (ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 1 }))
        {
            Checkpoint.Save(dir.Combine("m.safetensors"), model, MetadataFor(model));
        }
        string path = dir.Combine("m.safetensors");
        EditMetadata(path, m => m["model"]!["num_classes"] = 4_000_000);
        GC.Collect();
        // Reset the peak-RSS counter (Linux: writing 5 to clear_refs), so the peak below is this load's.
        bool peakReset = true;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            peakReset = false;
        }
        catch (UnauthorizedAccessException)
        {
            peakReset = false;
        }
        long before = Environment.WorkingSet;
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, torch.CPU));
        Assert.Contains("names 4 classes but its model has num_classes 4000000", e.Message, StringComparison.Ordinal);
        if (peakReset)
        {
            // 4M x 128 floats would be 2 GB.
            Assert.True(PeakRssBytes() - before < 200_000_000L, $"peak RSS grew by {(PeakRssBytes() - before) / 1e6:F0} MB");
        }
    }

    [Fact]
    public void Load_NullModelInMetadata_SaysWhatIsMissing()
    {
        // Issue 13 item 16: "Value cannot be null. (Parameter 'spec')".
        using var dir = new TempDirectory();
        string path = dir.Combine("m.safetensors");
        using (ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 1 }))
        {
            Checkpoint.Save(path, model, MetadataFor(model));
        }
        EditMetadata(path, m => m["model"] = null);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, torch.CPU));
        Assert.Contains("has no model (null)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("in_channels", 3, "in_channels implies conv1.weight of size 3 along axis 1, but the weights' conv1.weight is [32, 1, 3, 3]")]
    [InlineData("image_size", 4096, "image_size implies fc1.weight of size 67108864 along axis 1")]
    public void Load_OtherSpecSettingsThanTheWeights_FailBeforeBuilding(string key, int value, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("m.safetensors");
        using (ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 1 }))
        {
            Checkpoint.Save(path, model, MetadataFor(model));
        }
        EditMetadata(path, m => m["model"]![key] = value);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, torch.CPU));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
