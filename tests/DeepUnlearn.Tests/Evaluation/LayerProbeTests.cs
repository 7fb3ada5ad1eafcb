using System;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Tests.Bayesian;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// The per-layer probe on the twin fixture of <see cref="RepresentationProbeTests"/>: "auto" finds the weighted layer
/// and leaves out the head; trained without the class, the hidden layer's output is bit-identical for a class-0 image
/// and its twin (exactly chance); trained with it, the class is decodable there. Unknown layers fail with the valid names.
/// </summary>
public class LayerProbeTests
{
    [Fact]
    public void Run_TrainedWithoutTheClass_ChanceAtTheHiddenLayer_WithTheClass_Decodable()
    {
        using var threads = new SingleThread();
        var (data, split) = RepresentationProbeTests.TwinData();
        using RepresentationProbeTests.MarkerMlp retrained = RepresentationProbeTests.Train(data, withClass0: false);
        using RepresentationProbeTests.MarkerMlp original = RepresentationProbeTests.Train(data, withClass0: true);
        Assert.Equal(["hidden"], LayerProbe.AutoLayers(retrained));

        LayerProbeResult without = Assert.Single(LayerProbe.Run(retrained, data, split, [LayerProbe.Auto], torch.CPU));
        LayerProbeResult with = Assert.Single(LayerProbe.Run(original, data, split, ["hidden"], torch.CPU));
        Assert.Equal("hidden", without.Layer);
        Assert.Equal(50, without.Result.AccuracyPercent, 12);
        Assert.Equal(0.5, without.Result.Auc, 12);
        Assert.InRange(with.Result.Auc, 0.95, 1);
        Assert.Throws<ArgumentException>(() => LayerProbe.Run(original, data, split, ["nope"], torch.CPU));
    }
}
