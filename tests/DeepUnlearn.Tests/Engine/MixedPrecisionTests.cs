using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Training;
using DeepUnlearn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// <see cref="MixedPrecision"/> as the training loops use it: forward passes really in bfloat16 with float32 logits,
/// a bfloat16 training step close to the float32 one, and <see cref="Trainer.Fit"/> following its policy.
/// </summary>
public sealed class MixedPrecisionTests
{
    private static readonly PrecisionPolicy s_bf16ChannelsLast = new(ScalarType.BFloat16, LossScaling: false, ChannelsLast: true, "test");

    public MixedPrecisionTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Forward_BFloat16_EqualsTheNetworkOnBFloat16OperandsAsFloat32()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1).Dispose();
        var fc1 = nn.Linear(12, 8);
        var fc2 = nn.Linear(8, 3);
        var net = nn.Sequential(("fc1", fc1), ("relu", nn.ReLU()), ("fc2", fc2));
        using var generator = new Generator(2);
        Tensor x = torch.randn([5, 12], generator: generator);
        static Tensor Bf(Tensor t) => t.to(ScalarType.BFloat16);
        Tensor expected = nn.functional.linear(nn.functional.relu(nn.functional.linear(Bf(x), Bf(fc1.weight!), Bf(fc1.bias!))), Bf(fc2.weight!), Bf(fc2.bias!)).to(ScalarType.Float32);
        long before = MixedPrecision.ReducedPrecisionForwardsOnThisThread;

        Tensor logits = s_bf16ChannelsLast.Start().Forward(net, x);

        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.True(logits.equal(expected).all().item<bool>());
        Assert.Equal(before + 1, MixedPrecision.ReducedPrecisionForwardsOnThisThread);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void Forward_Off_IsTheModelCallBitForBit()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3).Dispose();
        var net = nn.Sequential(("fc", nn.Linear(6, 4)));
        Tensor x = torch.randn(3, 6);

        Assert.True(PrecisionPolicy.Off.Start().Forward(net, x).equal(net.call(x)).all().item<bool>());
    }

    [Fact]
    public void TrainerStep_BFloat16ChannelsLast_StaysCloseToFloat32()
    {
        // One SGD step of the zoo's smallcnn from the same weights on the same batch. bfloat16 keeps 8 significant
        // bits (relative rounding 2^-9 ≈ 0.2%) in every conv and linear of the forward and backward passes: the loss
        // moves by well under 1% and the update direction by a few percent. Bounds: loss 1%, update 10% (relative).
        using var scope = torch.NewDisposeScope();
        using ClassifierModel reference = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 10, InChannels = 3, ImageSize = 16, Seed = 4 });
        using ClassifierModel amp = reference.DeepCopy();
        Tensor[] start = reference.parameters().Select(p => p.detach().clone()).ToArray();
        using var generator = new Generator(5);
        Tensor x = torch.randn([32, 3, 16, 16], generator: generator);
        Tensor y = torch.randint(0, 10, [32], generator: generator);
        var recipe = new TrainingConfig { LearningRate = 0.1 };
        using OptimizerHelper sgd = OptimizerFactory.Create(recipe, reference.TrainableParameters());
        s_bf16ChannelsLast.Prepare(amp);
        using OptimizerHelper ampSgd = OptimizerFactory.Create(recipe, amp.TrainableParameters());

        double loss = Trainer.Step(reference, sgd, x, y).Loss;
        double ampLoss = Trainer.Step(amp, ampSgd, x, y, precision: s_bf16ChannelsLast.Start()).Loss;

        Assert.True(Math.Abs(ampLoss - loss) < 0.01 * loss, $"loss {ampLoss} under bf16 vs {loss}");
        Tensor update = torch.cat(reference.parameters().Zip(start, (p, s) => p.sub(s).flatten()).ToArray());
        Tensor ampUpdate = torch.cat(amp.parameters().Zip(start, (p, s) => p.sub(s).flatten()).ToArray());
        double relative = ampUpdate.sub(update).norm().item<float>() / update.norm().item<float>();
        Assert.True(relative < 0.1, $"the bf16 update differs from the float32 one by {relative:G3} (relative)");
        Assert.True(MemoryLayout.IsChannelsLast(amp.get_parameter("conv2.weight")!));
    }

    [Fact]
    public void Fit_BFloat16ChannelsLastPolicy_EveryStepRunsInBFloat16()
    {
        using var scope = torch.NewDisposeScope();
        var train = SyntheticData.Squares(96, seed: 1);
        VisionData data = VisionData.FromDatasets("squares", train, SyntheticData.Squares(16, seed: 2), 0.0, 0);
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 6 });
        var recipe = new TrainingConfig { Epochs = 2, BatchSize = 32, LearningRate = 0.05, Workers = 0, Seed = 0 };
        using DataLoader loader = data.TrainLoader(data.Split.Train, training: true, recipe.BatchSize, 0, torch.CPU, workers: 0);
        long before = MixedPrecision.ReducedPrecisionForwardsOnThisThread;

        TrainingResult result = new Trainer().Fit(model, loader, null, recipe, new TrainingOptions { Precision = s_bf16ChannelsLast });

        Assert.Equal(2L * loader.BatchCount, MixedPrecision.ReducedPrecisionForwardsOnThisThread - before);
        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
        Assert.All(model.modules().OfType<Conv2d>(), conv => Assert.True(MemoryLayout.IsChannelsLast(conv.weight!)));
    }
}
