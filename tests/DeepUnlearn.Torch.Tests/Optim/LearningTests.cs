using System;
using System.Collections.Generic;
using DeepUnlearn.Torch.Optim;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Torch.Tests.Optim;

public class LearningTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new() { "sgd", "adam", "adamw" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SmallCnn_MemorisesAFixedRandomBatch_LossBelowTenthOfInitialWithin200Steps(string kind)
    {
        // One intra-op thread keeps this fast on a shared machine (see LeakTests).
        int threads = LibTorch.NumThreads;
        LibTorch.SetNumThreads(1);
        try
        {
            Run(kind);
        }
        finally
        {
            LibTorch.SetNumThreads(threads);
        }
    }

    private void Run(string kind)
    {
        long before = Tensor.LiveCount;
        using (var data = TensorScope.Begin())
        {
            // 64 random images with random labels: nothing to generalise, everything to memorise.
            using var generator = new Generator(42);
            Tensor images = Tensor.Randn([64, 1, 28, 28], generator: generator);
            Tensor labels = Tensor.Randint(0, 10, [64], generator: generator);
            using var model = TestCnn.Create(seed: 1);
            using Optimizer optimizer = kind switch
            {
                "sgd" => new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: true),
                "adam" => new Adam(model.Parameters(), lr: 2e-3),
                "adamw" => new AdamW(model.Parameters(), lr: 2e-3, weightDecay: 1e-2),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "sgd, adam or adamw"),
            };

            var losses = new List<double>();
            double initial = double.NaN;
            for (int step = 0; step < 200; step++)
            {
                using var scope = TensorScope.Begin();
                double loss = TestCnn.TrainStep(model, optimizer, images, labels);
                Assert.True(double.IsFinite(loss), $"{kind}: loss {loss} at step {step}");
                losses.Add(loss);
                if (step == 0)
                {
                    initial = loss;
                }
                else if (loss < 0.1 * initial)
                {
                    break;
                }
            }
            output.WriteLine($"{kind}: loss {initial:F4} -> {losses[^1]:F4} in {losses.Count} steps");
            Assert.True(
                losses[^1] < 0.1 * initial,
                $"{kind}: loss went from {initial:F4} to {losses[^1]:F4} in {losses.Count} steps; expected below {0.1 * initial:F4}");
        }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
