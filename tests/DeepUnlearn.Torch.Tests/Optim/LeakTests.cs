using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using DeepUnlearn.Torch.Optim;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Torch.Tests.Optim;

public class LeakTests(ITestOutputHelper output)
{
    private const int WarmUpSteps = 100;
    private const int Steps = 2000;
    private const double MaxRssGrowthMb = 50;

    /// <summary>Adam with AMSGrad: the optimizer with the most state. (Every optimizer's step is also
    /// checked for a constant live count in <see cref="OptimizerTests"/>; this one runs long enough to see RSS.)</summary>
    [Fact]
    public void Training2000Steps_InsideScopes_LiveCountUnchangedAndRssFlat()
    {
        // One intra-op thread: on a shared 2-core machine, OpenMP threads spinning against other
        // processes make each step of this tiny network tens of times slower.
        int threads = LibTorch.NumThreads;
        LibTorch.SetNumThreads(1);
        try
        {
            Run();
        }
        finally
        {
            LibTorch.SetNumThreads(threads);
        }
    }

    private void Run()
    {
        using var generator = new Generator(3);
        using Tensor images = TensorScope.Detach(Tensor.Randn([16, 1, 28, 28], generator: generator));
        using Tensor labels = TensorScope.Detach(Tensor.Randint(0, 10, [16], generator: generator));
        using var model = TestCnn.Create(seed: 5);
        using var optimizer = new Adam(model.Parameters(), lr: 1e-3, weightDecay: 1e-4, amsgrad: true);

        for (int step = 0; step < WarmUpSteps; step++)
        {
            using var scope = TensorScope.Begin();
            TestCnn.TrainStep(model, optimizer, images, labels);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveBefore = Tensor.LiveCount;
        double rssBefore = RssMb();
        var clock = Stopwatch.StartNew();

        double loss = double.NaN;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = TensorScope.Begin();
            loss = TestCnn.TrainStep(model, optimizer, images, labels);
        }
        clock.Stop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveAfter = Tensor.LiveCount;
        double rssAfter = RssMb();

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Adam: {Steps} steps in {clock.Elapsed.TotalSeconds:F1} s; live tensors {liveBefore} -> {liveAfter}; VmRSS {rssBefore:F1} -> {rssAfter:F1} MB (+{rssAfter - rssBefore:F1}); final loss {loss:F4}"));
        Assert.True(double.IsFinite(loss));
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssAfter - rssBefore < MaxRssGrowthMb, $"VmRSS grew by {rssAfter - rssBefore:F1} MB over {Steps} steps (limit {MaxRssGrowthMb} MB)");
    }

    /// <summary>The resident set size from /proc/self/status, in MB.</summary>
    private static double RssMb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024; // kB
            }
        }
        throw new InvalidOperationException("no VmRSS line in /proc/self/status (the leak test needs Linux)");
    }
}
