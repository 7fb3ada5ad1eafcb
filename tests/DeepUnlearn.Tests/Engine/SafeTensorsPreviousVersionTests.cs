using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// Files written by DeepUnlearn's first engine (DeepUnlearn.Torch on libtorch 1.13) through <c>Checkpoint.Save</c> and
/// <c>Checkpoint.SaveTrainingState</c>: Golden/previous_smallcnn*.safetensors, from Golden/make_previous_version_golden.cs.txt,
/// whose printed logits and RNG draws are the expected values here.
/// </summary>
public sealed class SafeTensorsPreviousVersionTests : IDisposable
{
    private readonly EngineTempDirectory _dir = new();

    public SafeTensorsPreviousVersionTests() => TorchRuntime.EnsureInitialized();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_PreviousCheckpoint_StrictLoadsIntoTorchSharpSmallCnnAndGivesItsLogits()
    {
        using var scope = torch.NewDisposeScope();
        using SafeTensorsFile file = SafeTensors.Load(SafeTensorsTests.GoldenPath("previous_smallcnn.safetensors"));
        using var model = new EngineSmallCnn(inChannels: 1, numClasses: 3, imageSize: 4);

        StrictStateLoader.Load(model, file.Tensors);
        model.eval();
        torch.Tensor input = torch.arange(0, 32, 1, torch.float32).reshape(2, 1, 4, 4) / 16.0;
        float[] logits = model.call(input).data<float>().ToArray();

        float[] previous = [0.22864774f, -0.15164304f, 0.07383497f, 0.3977175f, -0.32588413f, 0.17841467f];
        for (int i = 0; i < previous.Length; i++)
        {
            Assert.Equal(previous[i], logits[i], 5e-6f);
        }
        Assert.Equal(1L, file["bn1.num_batches_tracked"].item<long>());
        using JsonDocument checkpoint = JsonDocument.Parse(file.Metadata["deepunlearn.checkpoint"]);
        Assert.Equal("smallcnn", checkpoint.RootElement.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("{\"name\":\"smallcnn\",\"num_classes\":3,\"in_channels\":1,\"image_size\":4,\"seed\":5}", file.Metadata["deepunlearn.model"]);
    }

    [Theory]
    [InlineData("previous_smallcnn.safetensors")]
    [InlineData("previous_smallcnn.state.safetensors")]
    public void Save_PreviousFilesContents_ReproducesTheirBytes(string name)
    {
        string golden = SafeTensorsTests.GoldenPath(name);
        string path = _dir.File(name);
        using (SafeTensorsFile file = SafeTensors.Load(golden))
        {
            SafeTensors.Save(path, file.Tensors.Reverse(), file.Metadata);
        }

        Assert.Equal(File.ReadAllBytes(golden), File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_PreviousTrainingState_RngStateReplaysThePreviousDraws()
    {
        // libtorch 1.13's CPU generator state (rng.cpu) restores into libtorch 2.10's generator and gives the draws
        // the first engine made after saving it: resumed runs keep their random stream across the engine switch.
        using var scope = torch.NewDisposeScope();
        using SafeTensorsFile file = SafeTensors.Load(SafeTensorsTests.GoldenPath("previous_smallcnn.state.safetensors"));
        using var generator = new torch.Generator(0);

        NativeGuards.SetRngState(generator, file["rng.cpu"]);
        float[] draws = torch.rand(new long[] { 4 }, generator: generator).data<float>().ToArray();

        Assert.Equal([0.028979242f, 0.40189856f, 0.25984418f, 0.36664134f], draws);
        Assert.Equal("1", file.Metadata["deepunlearn.epoch"]);
        Assert.Equal(10, file.Tensors.Keys.Count(k => k.EndsWith(".momentum_buffer", StringComparison.Ordinal)));
    }
}
