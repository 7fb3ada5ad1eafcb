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
}
