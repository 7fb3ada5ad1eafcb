using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// Checkpoints meeting data and each other (safetensors files from <c>deepunlearn train</c>, some with their metadata
/// edited as a corrupt or hostile file would have it): every mismatch must fail with a clear message and exit code 2
/// before the expensive work, with the input files unchanged and no result written (issue 13 items 7, 9, 10, 14, 15, 16).
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public sealed class CheckpointRobustnessTests(TrainedIdxRun run)
{
    private const string ManyNames = "4,000,000 names";

    private static (int Exit, string Output, string Error) Cli(params string[] args) => CliRunner.RunWithErrors(args);

    /// <summary>A copy of the trained checkpoint with its metadata JSON (both keys) edited.</summary>
    private string EditedCopy(string name, Action<JsonObject> edit)
    {
        string path = run.Out(name + ".safetensors");
        using var scope = torch.NewDisposeScope();
        Dictionary<string, string> meta;
        List<KeyValuePair<string, torch.Tensor>> tensors;
        using (SafeTensorsFile file = SafeTensors.Load(run.Checkpoint))
        {
            meta = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            tensors = file.Tensors.Select(kv => new KeyValuePair<string, torch.Tensor>(kv.Key, kv.Value.clone())).ToList();
        }
        var checkpoint = (JsonObject)JsonNode.Parse(meta[CheckpointMetadata.MetadataKey])!;
        edit(checkpoint);
        // 4,000,000 class names as text (a JsonArray of that many nodes would cost the test more than the check).
        meta[CheckpointMetadata.MetadataKey] = checkpoint.ToJsonString().Replace($"\"{ManyNames}\"", "[" + string.Join(",", Enumerable.Repeat("\"c\"", 4_000_000)) + "]", StringComparison.Ordinal);
        if (checkpoint["model"] is JsonObject model)
        {
            meta[ModelSpec.MetadataKey] = model.ToJsonString();
        }
        SafeTensors.Save(path, tensors, meta);
        return path;
    }

    private static void AssertRefused((int Exit, string Output, string Error) result, params string[] messageParts)
    {
        Assert.True(result.Exit == Program.ExitFailure, $"exit {result.Exit}: {result.Error}");
        foreach (string part in messageParts)
        {
            Assert.Contains(part, result.Error, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CheckpointWhoseClassNamesDifferFromTheData_Exit2NamingBothLists()
    {
        // Issue 13 item 7: only the count was compared; labels meant other classes, exit 0.
        string renamed = EditedCopy("renamed", m => m["class_names"] = new JsonArray("0", "1", "three", "2"));
        var before = FileTree.Snapshot(run.Root);
        AssertRefused(Cli("evaluate", "--checkpoint", renamed, "--data", run.Data, "--workers", "0", "--device", "cpu"),
            "label 2 is 'three' in one and '2' in the other", "has [0, 1, three, 2]", "has [0, 1, 2, 3]");
        Assert.Equal(before, FileTree.Snapshot(run.Root));
    }

    [Fact]
    public void Compare_RetrainedWhoseClassNamesDiffer_Exit2BeforeAnyMethodRuns()
    {
        string renamed = EditedCopy("retrained-renamed", m => m["class_names"] = new JsonArray("a", "b", "c", "d"));
        string output = run.Out("compare-renamed");
        var result = Cli("compare", "--checkpoint", run.Checkpoint, "--methods", "gradient-ascent", "--retrained", renamed, "--forget-class", "0",
            "--set", "gradient-ascent.epochs=1", "--no-probe", "--workers", "0", "--device", "cpu", "--out", output);
        AssertRefused(result, "--retrained", "has [a, b, c, d]", "has [0, 1, 2, 3]");
        Assert.DoesNotContain("seed 0: gradient-ascent", result.Error, StringComparison.Ordinal);
        Assert.Empty(FileTree.Named(output, "compare.md"));
    }

    [Fact]
    public void Unlearn_RetrainedOfAnotherArchitecture_Exit2BeforeUnlearning()
    {
        // Issue 13 item 15: the architecture was compared after the method had run.
        string allcnnRun = run.Out("allcnn");
        var (trained, _, trainError) = Cli("train", "--data", run.Data, "--model", "allcnn", "--epochs", "1", "--batch-size", "64",
            "--workers", "0", "--device", "cpu", "--out", allcnnRun);
        Assert.True(trained == Program.ExitOk, trainError);
        string output = run.Out("unlearn-allcnn-reference");
        var result = Cli("unlearn", "--checkpoint", run.Checkpoint, "--method", "gradient-ascent", "--retrained", Path.Combine(allcnnRun, "last.safetensors"),
            "--forget-class", "0", "--set", "gradient-ascent.epochs=1", "--no-probe", "--workers", "0", "--device", "cpu", "--out", output);
        AssertRefused(result, "--retrained", "is a allcnn", "the original", "is a smallcnn", "must be the same architecture");
        Assert.DoesNotContain("ascent epoch", result.Error, StringComparison.Ordinal);
        Assert.Empty(FileTree.Named(output, ".safetensors"));
    }

    [Fact]
    public void Evaluate_ThreeChannelDataForAGrayModel_Exit2NamingChannels()
    {
        // Same class names ("0".."3"), CIFAR-10 binary layout (3 channels): libtorch's conv error used to come first.
        string cifar = run.Out("cifar-gray-names");
        Directory.CreateDirectory(cifar);
        foreach (string file in Cifar10.TrainFiles.Append(Cifar10.TestFile))
        {
            using var stream = File.Create(Path.Combine(cifar, file));
            for (int r = 0; r < 8; r++)
            {
                stream.WriteByte((byte)(r % 4));
                stream.Write(new byte[Cifar10.ImageLength]);
            }
        }
        File.WriteAllLines(Path.Combine(cifar, Cifar10.MetaFile), ["0", "1", "2", "3"]);
        AssertRefused(Cli("evaluate", "--checkpoint", run.Checkpoint, "--data", "cifar10:" + cifar, "--workers", "0", "--device", "cpu"),
            "for 1-channel images", "has 3-channel images");
    }

    [Fact]
    public void Evaluate_MetadataClaimingMillionsOfClasses_Exit2FastAndTheFileIsUnchanged()
    {
        string hostile = EditedCopy("four-million", m =>
        {
            m["model"]!["num_classes"] = 4_000_000;
            m["class_names"] = ManyNames;
        });
        byte[] bytes = File.ReadAllBytes(hostile);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AssertRefused(Cli("evaluate", "--checkpoint", hostile, "--workers", "0", "--device", "cpu"),
            "does not match its weights", "num_classes implies fc2.weight of size 4000000 along axis 0, but the weights' fc2.weight is [4, 128]");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(bytes, File.ReadAllBytes(hostile));
    }

    [Fact]
    public void Evaluate_NullModelInMetadata_Exit2SayingWhatIsMissing()
    {
        string broken = EditedCopy("null-model", m => m["model"] = null);
        AssertRefused(Cli("evaluate", "--checkpoint", broken, "--workers", "0", "--device", "cpu"), "has no model (null)");
    }

    [Fact]
    public void Evaluate_BatchSizeIntMax_Exit2NamingTheOption()
    {
        AssertRefused(Cli("evaluate", "--checkpoint", run.Checkpoint, "--batch-size", "2147483647", "--workers", "0", "--device", "cpu"),
            "invalid --batch-size: must be between 1 and 1,048,576");
    }

    [Fact]
    public void Unlearn_GradientAscentAtAHugeRate_Exit2NamingTheSettingAndNothingIsWritten()
    {
        // Issue 13 item 9: lr 1e30 exited 0 with ‖θ−θ0‖ = 2e30 reported as perfect forgetting (here: one step, so every
        // loss the method reads is finite; the outcome guard catches the model).
        string output = run.Out("ga-1e30");
        var result = Cli("unlearn", "--checkpoint", run.Checkpoint, "--method", "gradient-ascent", "--forget-class", "0",
            "--set", "gradient-ascent.learning_rate=1e30", "--set", "gradient-ascent.epochs=1", "--set", "gradient-ascent.batch_size=100000",
            "--no-probe", "--workers", "0", "--device", "cpu", "--out", output);
        AssertRefused(result, "gradient-ascent diverged", "lower gradient-ascent.learning_rate (now 1E+30)");
        Assert.Empty(FileTree.Named(output, ".safetensors"));
        Assert.Empty(FileTree.Named(output, "metrics.json"));
        Assert.Empty(FileTree.Named(output, "report.md"));
    }

    [Fact]
    public void Unlearn_DeltaGradTrajectoryRecordedWithOtherHeadSettings_Exit2AndTheTrajectoryIsUnchanged()
    {
        // Issue 13 item 10: the reused trajectory was replayed as recorded while the report claimed the new settings.
        string trajectory = run.Out("head.trajectory");
        string[] common = ["unlearn", "--checkpoint", run.Checkpoint, "--method", "deltagrad-head", "--forget-class", "0", "--no-probe",
            "--workers", "0", "--device", "cpu", "--set", $"deltagrad-head.trajectory={trajectory}"];
        var first = Cli([.. common, "--set", "deltagrad-head.head_epochs=2", "--out", run.Out("dg-first")]);
        Assert.True(first.Exit == Program.ExitOk, first.Error);
        byte[] recorded = File.ReadAllBytes(trajectory);
        string output = run.Out("dg-second");
        var second = Cli([.. common, "--set", "deltagrad-head.head_epochs=3", "--out", output]);
        AssertRefused(second, "recorded with other settings", "deltagrad-head.head_epochs");
        Assert.Equal(recorded, File.ReadAllBytes(trajectory));
        Assert.Empty(FileTree.Named(output, ".safetensors"));
    }
}
