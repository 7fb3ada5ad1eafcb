using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

public class LrSchedulerTests
{
    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (JsonElement c in OptimizerGolden.Root.GetProperty("schedulers").EnumerateArray())
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_LearningRatesMatchTorchSchedulers(string name)
    {
        JsonElement c = OptimizerGolden.Case("schedulers", name);
        double[] baseLrs = c.GetProperty("base_lrs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[][] expected = c.GetProperty("lrs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        using var scope = TensorScope.Begin();
        using var sgd = Optimizer(baseLrs);
        LrScheduler scheduler = Build(sgd, c.GetProperty("spec"));

        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            if (epoch > 0)
            {
                scheduler.Step();
            }
            Assert.Equal(epoch, scheduler.LastEpoch);
            double[] actual = sgd.ParamGroups.Select(g => g.LearningRate).ToArray();
            OptimizerGolden.AssertClose(expected[epoch], actual, $"{name} epoch {epoch}");
            Assert.Equal(actual, scheduler.LastLearningRates);
        }
    }

    [Fact]
    public void SetLastEpoch_ResumedScheduler_ContinuesWithTheSameRates()
    {
        using var scope = TensorScope.Begin();
        using var a = Optimizer([0.1, 0.02]);
        using var b = Optimizer([0.1, 0.02]);
        var full = new SequentialLr(a, [new LinearWarmup(a, 0.1, 1, 3), new CosineAnnealingLr(a, 10)], [3]);
        var resumed = new SequentialLr(b, [new LinearWarmup(b, 0.1, 1, 3), new CosineAnnealingLr(b, 10)], [3]);
        for (int i = 0; i < 7; i++)
        {
            full.Step();
        }
        resumed.SetLastEpoch(7);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(full.LastLearningRates, resumed.LastLearningRates);
            full.Step();
            resumed.Step();
        }
    }

    [Fact]
    public void Constructor_SecondScheduler_StartsFromTheInitialRateNotTheWarmedUpOne()
    {
        using var scope = TensorScope.Begin();
        using var sgd = Optimizer([0.1]);
        var warmup = new LinearWarmup(sgd, 0.1, 1, 5);
        Assert.Equal(0.1 * 0.1, sgd.LearningRate, 15);
        var cosine = new CosineAnnealingLr(sgd, 10);
        Assert.Equal([0.1], cosine.BaseLearningRates);
        Assert.Equal(0.1, sgd.LearningRate);
        Assert.Equal(0.1, sgd.ParamGroups[0].InitialLearningRate);
        Assert.Equal([0.1], warmup.BaseLearningRates);
    }

    [Fact]
    public void Constructors_InvalidSettings_ThrowSayingWhatIsValid()
    {
        using var scope = TensorScope.Begin();
        using var sgd = Optimizer([0.1]);
        using var other = Optimizer([0.1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(sgd, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(sgd, 2, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepLr(sgd, [-1, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLr(sgd, 0));
        Assert.Contains("startFactor must be in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(sgd, 1.5)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(sgd, 0.1, 1, 0));
        var warm = new LinearWarmup(sgd, 0.1, 1, 3);
        var cos = new CosineAnnealingLr(sgd, 10);
        Assert.Contains("one milestone fewer", Assert.Throws<ArgumentException>(() => new SequentialLr(sgd, [warm, cos], [3, 5])).Message, StringComparison.Ordinal);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>(() => new SequentialLr(sgd, [warm, cos, cos], [5, 5])).Message, StringComparison.Ordinal);
        Assert.Contains("different optimizer", Assert.Throws<ArgumentException>(() => new SequentialLr(other, [warm, cos], [3])).Message, StringComparison.Ordinal);
    }

    private static Sgd Optimizer(double[] baseLrs)
    {
        var groups = baseLrs.Select(lr => new ParameterGroup([Tensor.Zeros([1], requiresGrad: true)], new Dictionary<string, double> { ["lr"] = lr })).ToArray();
        return new Sgd(groups, lr: baseLrs[0]);
    }

    private static LrScheduler Build(Optimizer optimizer, JsonElement spec)
    {
        switch (spec.GetProperty("kind").GetString())
        {
            case "StepLR":
                return new StepLr(optimizer, spec.GetProperty("step_size").GetInt32(), spec.GetProperty("gamma").GetDouble());
            case "MultiStepLR":
                return new MultiStepLr(optimizer, spec.GetProperty("milestones").EnumerateArray().Select(m => m.GetInt32()), spec.GetProperty("gamma").GetDouble());
            case "CosineAnnealingLR":
                return new CosineAnnealingLr(optimizer, spec.GetProperty("T_max").GetInt32(), spec.GetProperty("eta_min").GetDouble());
            case "LinearLR":
                return new LinearWarmup(optimizer, spec.GetProperty("start_factor").GetDouble(), spec.GetProperty("end_factor").GetDouble(), spec.GetProperty("total_iters").GetInt32());
            case "SequentialLR":
                var children = spec.GetProperty("schedulers").EnumerateArray().Select(s => Build(optimizer, s)).ToList();
                return new SequentialLr(optimizer, children, spec.GetProperty("milestones").EnumerateArray().Select(m => m.GetInt32()));
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.GetProperty("kind").GetString(), "unknown scheduler kind in the golden file");
        }
    }
}
