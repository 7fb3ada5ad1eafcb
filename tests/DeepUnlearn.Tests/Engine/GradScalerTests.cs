using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// <see cref="GradScaler"/> against PyTorch's documented behaviour (torch.amp.GradScaler and <c>_amp_update_scale_</c>):
/// scaled-then-unscaled gradients give the plain step, an inf/NaN gradient skips the step and halves the scale, the
/// scale doubles after the growth interval of clean steps, and float16 autocast without scaling loses small gradients.
/// </summary>
public sealed class GradScalerTests
{
    public GradScalerTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Step_ScaledBackward_EqualsThePlainFloat32Step()
    {
        // S = 2^16 is a power of two: multiplying the loss and dividing the gradients by it is exact in float32.
        using var scope = torch.NewDisposeScope();
        var (plain, plainOptimizer) = Net(seed: 3);
        var (scaled, scaledOptimizer) = Net(seed: 3);
        var (x, y) = Batch();
        var scaler = new GradScaler();

        nn.functional.cross_entropy(plain.call(x), y).backward();
        plainOptimizer.step();
        scaler.Scale(nn.functional.cross_entropy(scaled.call(x), y)).backward();
        bool stepped = scaler.Step(scaledOptimizer);
        scaler.Update();

        Assert.True(stepped);
        foreach (var (a, b) in plain.parameters().Zip(scaled.parameters()))
        {
            Assert.True(a.equal(b).all().item<bool>());
        }
        Assert.Equal(GradScaler.DefaultInitialScale, scaler.CurrentScale);
        Assert.Equal(1, scaler.GrowthTracker);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Step_NonFiniteGradient_SkipsTheStepAndBacksOff(double bad)
    {
        using var scope = torch.NewDisposeScope();
        var (net, optimizer) = Net(seed: 4);
        var (x, y) = Batch();
        Tensor[] before = net.parameters().Select(p => p.detach().clone()).ToArray();
        var scaler = new GradScaler(growthInterval: 3);
        CleanStep(scaler, net, optimizer, x, y); // tracker 1
        before = net.parameters().Select(p => p.detach().clone()).ToArray();

        scaler.Scale(nn.functional.cross_entropy(net.call(x), y)).backward();
        using (torch.no_grad())
        {
            net.parameters().First().grad!.view(-1)[0] = torch.tensor(bad); // one bad entry in one gradient
        }
        bool stepped = scaler.Step(optimizer);
        scaler.Update();

        Assert.False(stepped);
        Assert.Equal(1, scaler.SkippedSteps);
        foreach (var (p, b) in net.parameters().Zip(before))
        {
            Assert.True(p.equal(b).all().item<bool>(), "a skipped step must leave every weight as it was");
        }
        Assert.Equal(GradScaler.DefaultInitialScale * 0.5, scaler.CurrentScale);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void Update_GrowthIntervalCleanSteps_DoublesTheScaleAndRestartsTheCount()
    {
        using var scope = torch.NewDisposeScope();
        var (net, optimizer) = Net(seed: 5);
        var (x, y) = Batch();
        var scaler = new GradScaler(initialScale: 1024, growthInterval: 3);

        CleanStep(scaler, net, optimizer, x, y);
        CleanStep(scaler, net, optimizer, x, y);
        Assert.Equal(1024, scaler.CurrentScale);
        Assert.Equal(2, scaler.GrowthTracker);
        CleanStep(scaler, net, optimizer, x, y);

        Assert.Equal(2048, scaler.CurrentScale);
        Assert.Equal(0, scaler.GrowthTracker);
        Assert.Equal(0, scaler.SkippedSteps);
    }

    [Fact]
    public void Update_GrowthWouldOverflow_KeepsTheScale()
    {
        // As _amp_update_scale_: the scale grows only to a finite value.
        var scaler = new GradScaler(initialScale: double.MaxValue, growthInterval: 1);

        Assert.True(scaler.Step(Array.Empty<Tensor>(), () => { })); // no gradients: nothing non-finite, a clean step
        scaler.Update();

        Assert.Equal(double.MaxValue, scaler.CurrentScale);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void Unscale_TwiceInOneIteration_Throws()
    {
        using var scope = torch.NewDisposeScope();
        var (net, _) = Net(seed: 7);
        var (x, y) = Batch();
        var scaler = new GradScaler();
        scaler.Scale(nn.functional.cross_entropy(net.call(x), y)).backward();
        scaler.Unscale(net.parameters());

        Assert.Throws<InvalidOperationException>(() => scaler.Unscale(net.parameters()));
    }

    [Fact]
    public void Disabled_IsThePlainStep()
    {
        using var scope = torch.NewDisposeScope();
        var (net, optimizer) = Net(seed: 8);
        var (x, y) = Batch();
        var scaler = new GradScaler(enabled: false);
        Tensor loss = nn.functional.cross_entropy(net.call(x), y);

        Assert.Same(loss, scaler.Scale(loss));
        loss.backward();
        Assert.True(scaler.Step(optimizer));
        scaler.Update();
        Assert.Equal(GradScaler.DefaultInitialScale, scaler.CurrentScale);
    }

    [Fact]
    public void Float16Autocast_SmallLoss_GradientsVanishUnscaledAndSurviveScaled()
    {
        // The reason loss scaling exists: a loss of order 1e-6 gives float16 gradients below float16's smallest
        // subnormal (6e-8), which flush to zero; scaled by 2^16 they are representable, and unscaled in float32 they
        // match the float32 gradients to float16 precision (relative 1e-3; 2e-2 allowed for the rounding of the inputs).
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(9);
        var linear = nn.Linear(32, 8);
        Tensor x = torch.randn([16, 32], generator: generator);
        Tensor Loss() => linear.call(x).to(ScalarType.Float32).sum() * 1e-9;
        Tensor Float16Loss()
        {
            using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16))
            {
                return linear.call(x).to(ScalarType.Float32).sum() * 1e-9;
            }
        }

        Loss().backward();
        Tensor reference = linear.weight!.grad!.clone();
        linear.zero_grad();
        Float16Loss().backward();
        Tensor unscaled = linear.weight!.grad!.clone();
        linear.zero_grad();
        var scaler = new GradScaler();
        scaler.Scale(Float16Loss()).backward();
        Assert.True(scaler.Unscale(linear.parameters()));
        Tensor scaled = linear.weight!.grad!;

        Assert.Equal(0, unscaled.abs().max().item<float>());
        double relative = scaled.sub(reference).norm().item<float>() / reference.norm().item<float>();
        Assert.True(relative < 2e-2, $"scaled float16 gradient differs from float32 by {relative:G3} (relative)");
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.5, 1)]
    [InlineData(1.0, 1.0, 0.5, 1)]
    [InlineData(1.0, 2.0, 1.0, 1)]
    [InlineData(1.0, 2.0, 0.5, 0)]
    public void Constructor_BadSchedule_Throws(double scale, double growth, double backoff, int interval)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(initialScale: scale, growthFactor: growth, backoffFactor: backoff, growthInterval: interval));
    }

    private static void CleanStep(GradScaler scaler, nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        optimizer.zero_grad();
        scaler.Scale(nn.functional.cross_entropy(net.call(x), y)).backward();
        scaler.Step(optimizer);
        scaler.Update();
    }

    private static (nn.Module<Tensor, Tensor> Net, optim.Optimizer Optimizer) Net(int seed)
    {
        torch.manual_seed(seed).Dispose();
        var net = nn.Sequential(("fc1", nn.Linear(6, 5)), ("relu", nn.ReLU()), ("fc2", nn.Linear(5, 3)));
        return (net, torch.optim.SGD(net.parameters().ToList(), 0.1, momentum: 0.9));
    }

    private static (Tensor X, Tensor Y) Batch()
    {
        using var generator = new Generator(11);
        return (torch.randn([8, 6], generator: generator), torch.randint(0, 3, [8], generator: generator));
    }
}
