using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// PGU's stored retain space: the sidecar round trip and its key, what a PGU run leaves unchanged, and the
/// recursive update of sequential requests against one combined request.
/// </summary>
public class PguRetainSpaceTests(PguBlocksSetup setup) : IClassFixture<PguBlocksSetup>
{
    /// <summary>Every retain direction kept: the smallest real σ's share is far above 1e-6 on this data.</summary>
    private const string FullSpan = "0.999999";

    [Fact]
    public void SaveLoad_RoundTrip_KeepsMatricesIdsProtocolAndKey_AndWritesNoTempFile()
    {
        using var scope = torch.NewDisposeScope();
        string dir = Path.Combine(setup.Directory, "roundtrip");
        Directory.CreateDirectory(dir);
        var protocol = new PguCovarianceProtocol { Augment = false, AugmentationSeed = 42, Samples = 7, BatchSize = 5 };
        Tensor a = torch.tensor(new double[] { 2, 1, 1, 3 }, [2, 2]);
        Tensor b = torch.tensor(new double[] { 5 }, [1, 1]);
        using var space = new PguRetainSpace(["fc1", "fc2"], [a.clone().DetachFromDisposeScope(), b.clone().DetachFromDisposeScope()], "abc123abc123abc123", "blocks", 10, [7, 3], protocol);
        string path = space.SaveBeside(Path.Combine(dir, "model.safetensors"));
        Assert.Equal(Path.Combine(dir, "model.pgu.safetensors"), path);
        Assert.Single(Directory.GetFiles(dir));

        using PguRetainSpace loaded = PguRetainSpace.Load(path);
        Assert.Equal(["fc1", "fc2"], loaded.Layers);
        Assert.Equal(a.data<double>().ToArray(), loaded.Representations[0].data<double>().ToArray());
        Assert.Equal(b.data<double>().ToArray(), loaded.Representations[1].data<double>().ToArray());
        Assert.Equal([3, 7], loaded.RemovedIds);
        Assert.Equal(8, loaded.Samples);
        Assert.Equal(protocol, loaded.Protocol);
        Assert.Equal("abc123abc123abc123", loaded.ModelFingerprint);
        Assert.Equal("blocks", loaded.Dataset);
    }

    [Fact]
    public void Load_SafetensorsWithoutRetainSpace_SaysWhatItIs()
    {
        string path = Path.Combine(setup.Directory, "plain.safetensors");
        using (Tensor t = torch.zeros([2]).DetachFromDisposeScope())
        {
            SafeTensors.Save(path, [new("x", t)]);
        }
        var e = Assert.Throws<InvalidDataException>(() => PguRetainSpace.Load(path));
        Assert.Contains(PguRetainSpace.MetadataKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_SameWeightsAfterACheckpointRoundTrip_DiffersAfterAnyChange()
    {
        using ClassifierModel copy = setup.Original.DeepCopy();
        string fingerprint = PguRetainSpace.Fingerprint(setup.Original);
        Assert.Equal(fingerprint, PguRetainSpace.Fingerprint(copy));
        using (torch.no_grad())
        {
            Tensor w = copy.Head.weight;
            using Tensor row = w.narrow(0, 0, 1).DetachFromDisposeScope();
            row.add_(row, 1e-6);
        }
        Assert.NotEqual(fingerprint, PguRetainSpace.Fingerprint(copy));
    }

    [Fact]
    public void Without_IdsAlreadyRemoved_Throws()
    {
        using var space = new PguRetainSpace(["fc"], [torch.eye(2, dtype: ScalarType.Float64).DetachFromDisposeScope()], "f00f00f00f00f00", "blocks", 5, [1], new PguCovarianceProtocol());
        using Tensor sum = torch.eye(2, dtype: ScalarType.Float64).DetachFromDisposeScope();
        Assert.Throws<ArgumentException>(() => space.Without([1, 2], [sum], "f00f00f00f00f01"));
    }

    [Fact]
    public void Run_FullRetainSpan_EveryLayerOutputOnRetainSamplesUnchanged_ForgetOutputsMoved()
    {
        using var threads = new SingleThread();
        using var scope = torch.NewDisposeScope();
        UnlearningContext context = setup.Context(setup.Original, null, 0);
        using UnlearningOutcome outcome = Run(context, FullSpan);
        Assert.True(outcome.Diagnostics["steps"] > 0);
        Tensor retain = setup.Images(context.RetainIds);
        Tensor forget = setup.Images(context.ForgetIds);
        using (torch.no_grad())
        {
            setup.Original.eval();
            outcome.Model.eval();
            // Layer 1's output (after ReLU) and layer 2's (the logits) on every retain sample.
            AssertClose(setup.Original.Features(retain), outcome.Model.Features(retain), 1e-5);
            AssertClose(setup.Original.call(retain), outcome.Model.call(retain), 1e-5);
            double moved = setup.Original.call(forget).sub(outcome.Model.call(forget)).abs().max().ToDouble();
            Assert.True(moved > 0.1, $"the forget logits moved by only {moved}");
        }
    }

    [Fact]
    public void Run_DefaultEnergy_EachLayerOutputOnRetainSpanInputsUnchanged()
    {
        // ε = 0.95 keeps only part of the retain inputs' span; on that span (P_l·x) every layer's output is unchanged.
        using var threads = new SingleThread();
        using var scope = torch.NewDisposeScope();
        UnlearningContext context = setup.Context(setup.Original, null, 0);
        using UnlearningOutcome outcome = Run(context, "0.95");
        using ClassifierModel probe = setup.Original.DeepCopy();
        IReadOnlyList<PguLayer> before = PguLayer.Find(probe);
        IReadOnlyList<PguLayer> after = PguLayer.Find(outcome.Model);
        // R_r recomputed here from the retain samples on θ0, independently of the run's own sums.
        Tensor[] retainSums = PguCovarianceAccumulator.Collect(probe, before, setup.Data, context.RetainIds, new PguCovarianceProtocol { Augment = false }, torch.CPU, 0, null, CancellationToken.None);
        var sidecar = (PguRetainSpace)outcome.Sidecars.Single();
        double movedTotal = 0;
        for (int l = 0; l < before.Count; l++)
        {
            using Tensor sum = retainSums[l];
            AssertClose(sum, sidecar.Representations[l], 1e-3 * sum.abs().max().ToDouble());   // the stored R_D − R_f is R_r
            using PguProjector projector = PguProjector.FromCovariance(sum, 0.95, ScalarType.Float64);
            Tensor p = projector.Matrix();
            Tensor w0 = before[l].Weight.detach().to(ScalarType.Float64);
            Tensor w1 = after[l].Weight.detach().to(ScalarType.Float64);
            Tensor delta = w1.sub(w0);
            movedTotal += delta.abs().max().ToDouble();
            // ΔW·P = 0 ⇔ W·x unchanged for every x in span(U_k); relative to the size of the outputs W0·P.
            double change = delta.mm(p).abs().max().ToDouble();
            double scale = w0.mm(p).abs().max().ToDouble();
            Assert.True(change <= 1e-5 * scale, $"{before[l].Name}: ΔW·P reaches {change}, W0·P {scale}");
        }
        Assert.True(movedTotal > 1e-3, $"PGU did not move the weights ({movedTotal})");
    }

    [Fact]
    public void Run_SequentialRequests_RetainSpaceEqualsTheCombinedRequests_WhenEveryRetainDirectionIsKept()
    {
        using var threads = new SingleThread();
        var (sequential, combined) = SequentialAndCombined(FullSpan, "full");
        using (sequential)
        using (combined)
        {
            Assert.Equal(combined.RemovedIds, sequential.RemovedIds);
            for (int l = 0; l < combined.Layers.Count; l++)
            {
                double scale = combined.Representations[l].abs().max().ToDouble();
                AssertClose(combined.Representations[l], sequential.Representations[l], 1e-5 * scale);
            }
        }
    }

    [Fact]
    public void Run_SequentialRequests_DifferFromCombined_WhenTheFirstUpdateMovedTheSecondForgetSetsFeatures()
    {
        // The contrast: at ε = 0.5 the first request may move W1 along directions class 1 uses, so the hidden
        // layer's inputs of class 1 change and R_D − R_F1(θ0) − R_F2(θ1) ≠ R_D − R_{F1∪F2}(θ0) in fc2.
        using var threads = new SingleThread();
        var (sequential, combined) = SequentialAndCombined("0.5", "half");
        using (sequential)
        using (combined)
        {
            // fc1 sees the raw pixels: equal whatever the weights.
            AssertClose(combined.Representations[0], sequential.Representations[0], 1e-5 * combined.Representations[0].abs().max().ToDouble());
            double scale = combined.Representations[1].abs().max().ToDouble();
            double difference = combined.Representations[1].sub(sequential.Representations[1]).abs().max().ToDouble();
            Assert.True(difference > 1e-3 * scale, $"fc2's retain sums differ by only {difference} (scale {scale})");
        }
    }

    [Fact]
    public void Run_StoredModeWithoutSidecar_FailsBeforeAnyWork()
    {
        UnlearningContext context = setup.Context(setup.Original, Path.Combine(setup.Directory, "absent", "model.safetensors"), 0);
        IUnlearningMethod method = MethodRegistry.Create("pgu", [new("retain_space", "stored")]);
        var e = Assert.Throws<InvalidOperationException>(() => method.Run(context, CancellationToken.None));
        Assert.Contains("no retain space", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SidecarOfOtherWeights_StoredModeRefuses_AutoModeRecomputes()
    {
        using var threads = new SingleThread();
        string dir = Path.Combine(setup.Directory, "other");
        Directory.CreateDirectory(dir);
        string checkpoint = Path.Combine(dir, "model.safetensors");
        using (UnlearningOutcome first = Run(setup.Context(setup.Original, checkpoint, 0), FullSpan))
        {
            // The original's sidecar now exists; pretend it belongs to the unlearned weights' path instead.
            first.Sidecars.Single().SaveBeside(checkpoint);
        }
        UnlearningContext context = setup.Context(setup.Original, checkpoint, 1);
        var e = Assert.Throws<InvalidOperationException>(() => MethodRegistry.Create("pgu", [new("retain_space", "stored")]).Run(context, CancellationToken.None));
        Assert.Contains("other weights", e.Message, StringComparison.Ordinal);
        using UnlearningOutcome auto = Run(context, FullSpan);
        Assert.Equal(0, auto.Diagnostics["retain_space_loaded"]);
    }

    /// <summary>
    /// Forget class 0 then, on the result, class 1 (each reading the previous request's sidecar), and classes 0 and 1
    /// at once on the original (reading the original's sidecar); returns the two final retain spaces.
    /// </summary>
    private (PguRetainSpace Sequential, PguRetainSpace Combined) SequentialAndCombined(string energy, string name)
    {
        string dir = Path.Combine(setup.Directory, name);
        Directory.CreateDirectory(dir);
        string original = Path.Combine(dir, "original.safetensors");
        string step1 = Path.Combine(dir, "step1.safetensors");
        using UnlearningOutcome first = Run(setup.Context(setup.Original, original, 0), energy);
        Assert.Equal(0, first.Diagnostics["retain_space_loaded"]);
        Assert.True(File.Exists(PguRetainSpace.PathFor(original)), "the first request did not store the original's retain space");
        first.Sidecars.Single().SaveBeside(step1);
        using UnlearningOutcome second = Run(setup.Context(first.Model, step1, 1), energy);
        using UnlearningOutcome together = Run(setup.Context(setup.Original, original, 0, 1), energy);
        Assert.Equal(1, second.Diagnostics["retain_space_loaded"]);
        Assert.Equal(1, together.Diagnostics["retain_space_loaded"]);
        string sequentialPath = second.Sidecars.Single().SaveBeside(Path.Combine(dir, "step2.safetensors"));
        string combinedPath = together.Sidecars.Single().SaveBeside(Path.Combine(dir, "combined.safetensors"));
        return (PguRetainSpace.Load(sequentialPath), PguRetainSpace.Load(combinedPath));
    }

    private static UnlearningOutcome Run(UnlearningContext context, string energy) =>
        MethodRegistry.Create("pgu",
        [
            new("retained_energy", energy), new("epochs", "3"), new("start_learning_rate", "0.5"), new("end_learning_rate", "0.5"),
            new("eval_samples", "0"), new("retain_drop_limit", "100"),
        ]).Run(context, CancellationToken.None);

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        double[] e = expected.detach().to(ScalarType.Float64).data<double>().ToArray();
        double[] a = actual.detach().to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(e.Length, a.Length);
        double worst = e.Zip(a, (x, z) => Math.Abs(x - z)).Max();
        Assert.True(worst <= tolerance, string.Create(CultureInfo.InvariantCulture, $"largest difference {worst:G4} > {tolerance:G4}"));
    }
}
