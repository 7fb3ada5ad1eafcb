using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class ModelPlacementTests
{
    public ModelPlacementTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpModuleTo_ReplacesAndDisposesParameterObjects()
    {
        // The fault, shown with a dtype move (the CPU-only equivalent of a device move: both go through the same
        // _toEpilog): the Parameter objects read before the move are disposed and replaced.
        using var net = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)));
        Parameter[] before = net.parameters().ToArray();

        net.to(torch.float64);

        Parameter[] after = net.parameters().ToArray();
        Assert.All(before, p => Assert.True(p.IsInvalid));
        Assert.All(after, p => Assert.DoesNotContain(before, b => ReferenceEquals(b, p)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TorchSharpOptimizerMadeBeforeMove_StepFailsFarFromTheCause(bool materialized)
    {
        // The fault as a user meets it: whether the optimizer got the parameters() enumerable (it re-enumerates the
        // new parameters, whose state it never made) or a list (now disposed), step() throws KeyNotFoundException.
        using var scope = torch.NewDisposeScope();
        using var net = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)));
        using var stale = materialized ? torch.optim.SGD(net.parameters().ToArray(), 0.1, momentum: 0.9) : torch.optim.SGD(net.parameters(), 0.1, momentum: 0.9);

        net.to(torch.float64);
        net.call(torch.ones(new long[] { 1, 3 }, torch.float64)).sum().backward();

        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => stale.step());
    }

    [Fact]
    public void OptimizerMadeBeforeMove_EnsureOptimizerTracksThrowsSayingWhy()
    {
        using var net = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)));
        using var stale = torch.optim.SGD(net.parameters().ToArray(), 0.1);

        ModelPlacement.MoveTo(net, torch.CPU, torch.float64);
        var e = Assert.Throws<InvalidOperationException>(() => ModelPlacement.EnsureOptimizerTracks(stale, net));

        Assert.Contains("updates 2 of its 2 parameters that are not the model's current parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains("make the optimizer after moving the model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveThenCreateOptimizer_StepUpdatesTheMovedModel()
    {
        using var scope = torch.NewDisposeScope();
        using var net = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)));
        Parameter[] before0 = net.parameters().ToArray();
        using var optimizer = ModelPlacement.MoveThenCreateOptimizer(net, torch.CPU, m => new SgdOptimizer(m.parameters(), 0.5), torch.float64);
        Assert.All(before0, p => Assert.True(p.IsInvalid));
        torch.Tensor before = net.state_dict()["fc.bias"].detach().clone();

        net.call(torch.ones(new long[] { 1, 3 }, torch.float64)).sum().backward();
        optimizer.step();

        // d(sum of outputs)/d(bias) = 1 for each output: the bias moves by −lr.
        Assert.True(net.state_dict()["fc.bias"].allclose(before - 0.5));
    }

    [Fact]
    public void MoveTo_SameDeviceAndDType_KeepsParameterObjects()
    {
        using var net = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)));
        Parameter[] before = net.parameters().ToArray();
        using var optimizer = torch.optim.SGD(before, 0.1);

        ModelPlacement.MoveTo(net, torch.CPU);

        Assert.True(EngineTensorAssert.SameObjects(before, net.parameters()));
        ModelPlacement.EnsureOptimizerTracks(optimizer, net);
    }

    [Fact]
    public void EnsureOptimizerTracks_OptimizerOverPartOfTheModel_Passes()
    {
        using var net = torch.nn.Sequential(("body", torch.nn.Linear(3, 3)), ("head", torch.nn.Linear(3, 2)));
        using var headOnly = torch.optim.SGD(net.named_parameters().Where(p => p.name.StartsWith("head.", StringComparison.Ordinal)).Select(p => p.parameter), 0.1);

        ModelPlacement.EnsureOptimizerTracks(headOnly, net);
    }
}
