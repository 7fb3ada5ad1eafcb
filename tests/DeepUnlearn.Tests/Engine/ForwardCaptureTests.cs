using System;
using System.Collections.Generic;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class ForwardCaptureTests
{
    public ForwardCaptureTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpHook_ChildInvokedWithForward_DoesNotFire()
    {
        // The fault: the parent calls child.forward(x); the child's hook is silently skipped.
        using var scope = torch.NewDisposeScope();
        using var parent = new Parent(useCall: false);
        int fired = 0;
        var remover = parent.Child.register_forward_hook((_, _, output) =>
        {
            fired++;
            return output;
        });

        parent.call(torch.ones(2, 3));
        remover.remove();

        Assert.Equal(0, fired);
    }

    [Fact]
    public void EnsureAllFired_ChildInvokedWithForward_ThrowsNamingTheLayerAndTheCause()
    {
        using var scope = torch.NewDisposeScope();
        using var parent = new Parent(useCall: false);
        using var capture = ForwardCapture.Attach(parent, ["child"]);

        parent.call(torch.ones(2, 3));
        var e = Assert.Throws<InvalidOperationException>(capture.EnsureAllFired);

        Assert.Contains("the forward hooks of child did not fire", e.Message, StringComparison.Ordinal);
        Assert.Contains("child.call(x), not child.forward(x)", e.Message, StringComparison.Ordinal);
        Assert.Equal(["child"], ForwardCapture.FindLayersBypassingHooks(parent, torch.ones(2, 3)));
    }

    [Fact]
    public void Attach_ChildInvokedWithCall_SeesItsInputAndOutput()
    {
        using var scope = torch.NewDisposeScope();
        using var parent = new Parent(useCall: true);
        var seen = new List<(string Layer, long[] Input, long[] Output)>();
        using var capture = ForwardCapture.Attach(parent, ["child"], (layer, input, output) => seen.Add((layer, input.shape, output.shape)));

        parent.call(torch.ones(2, 3));
        capture.EnsureAllFired();

        Assert.Equal(1, capture.Calls("child"));
        var (layer, inputShape, outputShape) = Assert.Single(seen);
        Assert.Equal("child", layer);
        Assert.Equal([2L, 3L], inputShape);
        Assert.Equal([2L, 4L], outputShape);
        capture.Reset();
        Assert.Equal(0, capture.Calls("child"));
    }

    [Fact]
    public void Dispose_RemovesTheHooks()
    {
        using var scope = torch.NewDisposeScope();
        using var parent = new Parent(useCall: true);
        int seen = 0;
        ForwardCapture capture = ForwardCapture.Attach(parent, ["child"], (_, _, _) => seen++);

        capture.Dispose();
        parent.call(torch.ones(2, 3));

        Assert.Equal(0, seen);
    }

    [Fact]
    public void Attach_UnknownLayer_ThrowsListingTheSubmodules()
    {
        using var parent = new Parent(useCall: true);

        var e = Assert.Throws<ArgumentException>(() => ForwardCapture.Attach(parent, ["fc"]));

        Assert.Contains("'fc' is not a submodule of the model; its submodules: child", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindLayersBypassingHooks_TorchVisionResNet18AndOurSmallCnn_AllLayersFire()
    {
        // TorchVision's models and Sequential invoke their children with call(); so must ours.
        using var scope = torch.NewDisposeScope();
        using var resnet = torchvision.models.resnet18(num_classes: 10);
        using var smallCnn = new EngineSmallCnn(3, 10, 32);

        Assert.Empty(ForwardCapture.FindLayersBypassingHooks(resnet, torch.zeros(1, 3, 32, 32)));
        Assert.Empty(ForwardCapture.FindLayersBypassingHooks(smallCnn, torch.zeros(1, 3, 32, 32)));
    }

    private sealed class Parent : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly bool _useCall;

        public Parent(bool useCall)
            : base("Parent")
        {
            _useCall = useCall;
            Child = torch.nn.Linear(3, 4);
            register_module("child", Child);
        }

        public Linear Child { get; }

        public override torch.Tensor forward(torch.Tensor input) => _useCall ? Child.call(input) : Child.forward(input);
    }
}
