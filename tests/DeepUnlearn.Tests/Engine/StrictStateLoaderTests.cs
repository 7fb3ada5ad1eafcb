using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class StrictStateLoaderTests
{
    public StrictStateLoaderTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpLoadStateDict_BroadcastableShape_CopiesSilently()
    {
        // The fault: a [1] bias "loads" into a [3] bias by broadcasting; nothing complains.
        using var scope = torch.NewDisposeScope();
        using var linear = torch.nn.Linear(4, 3);
        var state = new Dictionary<string, torch.Tensor> { ["weight"] = torch.zeros(3, 4), ["bias"] = torch.full(new long[] { 1 }, 5f) };

        linear.load_state_dict(state);

        Assert.Equal([5f, 5f, 5f], linear.bias!.data<float>().ToArray());
    }

    [Fact]
    public void Load_BroadcastableShape_ThrowsAndCopiesNothing()
    {
        using var scope = torch.NewDisposeScope();
        using var linear = torch.nn.Linear(4, 3);
        torch.Tensor before = linear.weight.detach().clone();
        var state = new Dictionary<string, torch.Tensor> { ["weight"] = torch.zeros(3, 4), ["bias"] = torch.full(new long[] { 1 }, 5f) };

        var e = Assert.Throws<StateDictMismatchException>(() => StrictStateLoader.Load(linear, state));

        Assert.Equal(["bias: module Float32 [3], state dict Float32 [1]"], e.Mismatched);
        Assert.Contains("Nothing was copied", e.Message, StringComparison.Ordinal);
        Assert.True(linear.weight.Same(before));
    }

    [Fact]
    public void TorchSharpLoadStateDict_ShapeErrorHalfway_LeavesEarlierEntriesOverwritten()
    {
        // The fault: entries are copied in the source's order; the bad one throws after the good ones were copied.
        using var scope = torch.NewDisposeScope();
        using var net = TwoLayers();
        var state = new Dictionary<string, torch.Tensor>
        {
            ["a.weight"] = torch.full(new long[] { 3, 4 }, 7f),
            ["a.bias"] = torch.zeros(3),
            ["b.weight"] = torch.zeros(5, 5),
            ["b.bias"] = torch.zeros(2),
        };

        Assert.ThrowsAny<Exception>(() => net.load_state_dict(state));

        Assert.Equal(7f, net.state_dict()["a.weight"].max().item<float>());
    }

    [Fact]
    public void Load_MissingUnexpectedAndMismatched_ListsThemAllAndCopiesNothing()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TwoLayers();
        var before = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var state = new Dictionary<string, torch.Tensor>
        {
            ["a.weight"] = torch.full(new long[] { 3, 4 }, 7f),
            ["a.bias"] = torch.zeros(new long[] { 3 }, torch.float64),
            ["b.weight"] = torch.zeros(5, 5),
            ["head.weight"] = torch.zeros(1),
        };

        var e = Assert.Throws<StateDictMismatchException>(() => StrictStateLoader.Load(net, state));

        Assert.Equal(["b.bias"], e.Missing);
        Assert.Equal(["head.weight"], e.Unexpected);
        Assert.Equal(["a.bias: module Float32 [3], state dict Float64 [3]", "b.weight: module Float32 [2, 3], state dict Float32 [5, 5]"], e.Mismatched);
        Assert.Contains("1 missing from the state dict (b.bias)", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 unexpected, not in the module (head.weight)", e.Message, StringComparison.Ordinal);
        foreach (var (name, tensor) in net.state_dict())
        {
            Assert.True(tensor.Same(before[name]), name);
        }
    }

    [Fact]
    public void Load_DisposedSourceTensor_IsReportedNotCopied()
    {
        using var scope = torch.NewDisposeScope();
        using var linear = torch.nn.Linear(2, 2);
        torch.Tensor gone = torch.zeros(2);
        gone.Dispose();

        var e = Assert.Throws<StateDictMismatchException>(() =>
            StrictStateLoader.Load(linear, new Dictionary<string, torch.Tensor> { ["weight"] = torch.zeros(2, 2), ["bias"] = gone }));

        Assert.Equal(["bias: the state dict's tensor is null or disposed"], e.Mismatched);
    }

    [Fact]
    public void Load_MatchingState_CopiesValuesIntoTheSameParameterObjects()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TwoLayers();
        Parameter[] parameters = net.parameters().ToArray();
        using var optimizer = torch.optim.SGD(parameters, 0.1);
        var state = net.state_dict().ToDictionary(kv => kv.Key, kv => torch.full(kv.Value.shape, 0.5f));
        state["b.bias"] = torch.tensor(new float[] { 1f, 2f });

        StrictStateLoader.Load(net, state);

        Assert.True(EngineTensorAssert.SameObjects(parameters, net.parameters()));
        Assert.All(parameters, p => Assert.True(p.requires_grad));
        Assert.Equal([1f, 2f], net.state_dict()["b.bias"].data<float>().ToArray());
        // The optimizer made before the load still updates the model.
        net.call(torch.ones(1, 4)).sum().backward();
        optimizer.step();
        Assert.NotEqual(2f, net.state_dict()["b.bias"].data<float>()[1]);
    }

    private static Sequential TwoLayers() =>
        torch.nn.Sequential(("a", torch.nn.Linear(4, 3)), ("b", torch.nn.Linear(3, 2)));
}
