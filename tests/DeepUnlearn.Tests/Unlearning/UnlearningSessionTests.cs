using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Data;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning;

public class UnlearningSessionTests
{
    private static readonly TrainingConfig s_recipe = new() { ValidationFraction = 0.25, Seed = 3 };

    /// <summary>40 training and 8 test images of 12×12, labels cycling over four classes; a smallcnn checkpoint on them.</summary>
    private static string WriteDataAndCheckpoint(TempDirectory dir)
    {
        byte[] labels = Enumerable.Range(0, 40).Select(i => (byte)(i % 4)).ToArray();
        File.WriteAllBytes(dir.Combine("train-images-idx3-ubyte"), DataFiles.IdxImages(40, 12, 12));
        File.WriteAllBytes(dir.Combine("train-labels-idx1-ubyte"), DataFiles.IdxLabels(labels));
        File.WriteAllBytes(dir.Combine("t10k-images-idx3-ubyte"), DataFiles.IdxImages(8, 12, 12));
        File.WriteAllBytes(dir.Combine("t10k-labels-idx1-ubyte"), DataFiles.IdxLabels(labels[..8]));
        VisionData data = VisionData.Open($"idx:{dir.Path}", s_recipe.ValidationFraction, s_recipe.Seed);
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 1 });
        string path = dir.Combine("original.safetensors");
        Checkpoint.Save(path, model, new CheckpointMetadata
        {
            Model = model.Spec!,
            Dataset = $"idx:{dir.Path}",
            ClassNames = data.Train.ClassNames.ToArray(),
            NormalizationMean = data.Train.Normalization.Mean.ToArray(),
            NormalizationStd = data.Train.Normalization.Std.ToArray(),
            Config = s_recipe,
        });
        return path;
    }

    [Fact]
    public void Open_WithTrainIds_ResolvesTheRequestOverThoseIdsOnly()
    {
        using var dir = new TempDirectory();
        string checkpoint = WriteDataAndCheckpoint(dir);
        using UnlearningSession whole = UnlearningSession.Open(checkpoint, null, ForgetRequest.Parse("classes:1"), torch.CPU, workers: 0);
        int[] split = whole.Data.Split.Train;
        // Oracle: the split's ids of class 1 (label = id % 4), and every other split id retained.
        Assert.Equal(split.Where(i => i % 4 == 1).Order(), whole.Sets.Forget.Order());
        Assert.Equal(split.Where(i => i % 4 != 1).Order(), whole.Sets.Retain.Order());

        int[] subset = split.Where((_, k) => k % 2 == 0).ToArray();
        using UnlearningSession part = UnlearningSession.Open(checkpoint, null, ForgetRequest.Parse("classes:1"), torch.CPU, workers: 0, trainIds: subset);
        Assert.Equal(subset.Where(i => i % 4 == 1).Order(), part.Sets.Forget.Order());
        Assert.Equal(subset.Where(i => i % 4 != 1).Order(), part.Sets.Retain.Order());
        // The validation split is the checkpoint's either way: a subset never moves samples into or out of it.
        Assert.Equal(whole.Data.Split.Validation, part.Data.Split.Validation);
        Assert.Equal(part.Sets.Forget.Order(), part.Context(5).ForgetIds.Order());
        Assert.Equal(checkpoint, part.Context(5).CheckpointPath);
    }
}
