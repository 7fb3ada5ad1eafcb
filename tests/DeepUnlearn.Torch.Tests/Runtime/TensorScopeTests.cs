using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Runtime;

/// <summary>Deterministic release of native tensors, checked with Tensor.LiveCount.</summary>
public class TensorScopeTests
{
    [Fact]
    public void NestedScopes_DisposeOnlyTheirOwnTensors()
    {
        long before = Tensor.LiveCount;
        using (var outer = TensorScope.Begin())
        {
            Tensor a = Tensor.Ones([2]);
            using (var inner = TensorScope.Begin())
            {
                Assert.Same(inner, TensorScope.Current);
                Tensor b = a * 2;
                Tensor c = b + 1;
                Assert.Equal(2, inner.Count);
                Assert.Equal(1, outer.Count);
            }
            Assert.Same(outer, TensorScope.Current);
            Assert.Equal(before + 1, Tensor.LiveCount);
            Assert.False(a.IsDisposed);
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Keep_MovesToTheParentWhichThenDisposesIt()
    {
        long before = Tensor.LiveCount;
        Tensor kept;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(Tensor.Ones([3]) * 5);
                Assert.Equal(1, inner.Count);
                Assert.Equal(1, outer.Count);
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal([5f, 5f, 5f], kept.ToArray<float>());
        }
        Assert.True(kept.IsDisposed);
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Keep_InOutermostScope_HandsOwnershipToTheCaller()
    {
        long before = Tensor.LiveCount;
        Tensor a, b;
        using (var scope = TensorScope.Begin())
        {
            a = Tensor.Zeros([1]);
            b = Tensor.Zeros([1]);
            scope.Keep(a, b);
            scope.Keep(a);
        }
        Assert.False(a.IsDisposed);
        Assert.False(b.IsDisposed);
        Assert.Equal(before + 2, Tensor.LiveCount);
        a.Dispose();
        b.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Detach_RemovesFromEveryScope()
    {
        long before = Tensor.LiveCount;
        Tensor owned;
        using (TensorScope.Begin())
        {
            using (TensorScope.Begin())
            {
                owned = TensorScope.Detach(Tensor.Ones([2]));
            }
        }
        Assert.False(owned.IsDisposed);
        owned.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void ManuallyDisposedTensor_IsSkippedByItsScope()
    {
        long before = Tensor.LiveCount;
        using (var scope = TensorScope.Begin())
        {
            Tensor t = Tensor.Ones([2]);
            t.Dispose();
            Assert.Equal(0, scope.Count);
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void OuterDisposedBeforeInner_InnerStillOwnsItsTensorsAndTheEnclosingScopeBecomesCurrent()
    {
        long before = Tensor.LiveCount;
        using var root = TensorScope.Begin();
        var outer = TensorScope.Begin();
        Tensor outerTensor = Tensor.Ones([1]);
        var inner = TensorScope.Begin();
        Tensor innerTensor = Tensor.Ones([1]);

        outer.Dispose();
        Assert.True(outerTensor.IsDisposed);
        Assert.False(innerTensor.IsDisposed);
        Assert.Same(inner, TensorScope.Current);

        inner.Dispose();
        Assert.True(innerTensor.IsDisposed);
        // Neither dead scope may stay current: new tensors belong to the root.
        Assert.Same(root, TensorScope.Current);
        Tensor later = Tensor.Ones([1]);
        Assert.Equal(1, root.Count);
        root.Dispose();
        Assert.True(later.IsDisposed);
        Assert.Null(TensorScope.Current);
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Keep_IntoADisposedParent_GoesToTheNearestLiveScope()
    {
        long before = Tensor.LiveCount;
        using var root = TensorScope.Begin();
        var parent = TensorScope.Begin();
        var child = TensorScope.Begin();
        Tensor t = Tensor.Ones([1]);
        parent.Dispose();
        child.Keep(t);
        child.Dispose();
        Assert.False(t.IsDisposed);
        Assert.Equal(1, root.Count);
        root.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void DisposeTwice_IsHarmless()
    {
        var scope = TensorScope.Begin();
        Tensor.Ones([1]);
        scope.Dispose();
        scope.Dispose();
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void Scopes_ArePerThread()
    {
        long before = Tensor.LiveCount;
        Tensor? fromOtherThread = null;
        using (TensorScope.Begin())
        {
            var thread = new Thread(() => fromOtherThread = Tensor.Ones([1]));
            thread.Start();
            thread.Join();
        }
        Assert.NotNull(fromOtherThread);
        Assert.False(fromOtherThread!.IsDisposed, "a scope on this thread does not own tensors made elsewhere");
        fromOtherThread.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void ManySteps_KeepTheLiveCountFlat()
    {
        long before = Tensor.LiveCount;
        using var outer = TensorScope.Begin();
        Tensor w = TensorScope.Detach(Tensor.Ones([4, 4], DType.Float64, requiresGrad: true));
        for (int step = 0; step < 200; step++)
        {
            using var scope = TensorScope.Begin();
            Tensor loss = w.MatMul(Tensor.Ones([4], DType.Float64)).Square().Sum();
            loss.Backward();
            using (LibTorch.NoGrad())
            {
                w.SubInPlace(w.Grad!, 1e-3);
            }
            w.Grad = null;
        }
        Assert.Equal(before + 1, Tensor.LiveCount);
        w.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
        GC.KeepAlive(outer);
    }

    [Fact]
    public void SettledLiveCount_ReleasesTensorsDroppedWithoutDispose()
    {
        long before = Tensor.SettledLiveCount();
        DropThreeTensors();
        Assert.Equal(before, Tensor.SettledLiveCount());
        using Tensor kept = Tensor.Zeros([2]);
        Assert.Equal(before + 1, Tensor.SettledLiveCount());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropThreeTensors()
    {
        for (int i = 0; i < 3; i++)
        {
            _ = Tensor.Ones([4]);
        }
    }
}
