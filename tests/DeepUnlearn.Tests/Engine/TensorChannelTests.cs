using System;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class TensorChannelTests
{
    public TensorChannelTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void HandOffWithoutDetaching_ProducerScopeEnds_ConsumerTensorIsDisposed()
    {
        // The fault: the loader's per-batch scope owns the tensor it made; when that scope closes on the loader thread
        // the consumer is left holding a disposed tensor.
        torch.Tensor? handed = null;
        var producer = new Thread(() =>
        {
            using var scope = torch.NewDisposeScope();
            handed = torch.ones(4);
        });
        producer.Start();
        producer.Join();

        Assert.NotNull(handed);
        Assert.True(handed!.IsInvalid);
    }

    [Fact]
    public async Task TryRead_BatchesFromALoaderThread_ArriveIntactAndTheStepScopeFreesThem()
    {
        long before = torch.Tensor.TotalCount;
        const int batches = 20;
        using (var channel = new TensorChannel<Batch>(capacity: 3, b => [b.Images, b.Labels]))
        {
            var producer = Task.Run(() =>
            {
                for (int i = 0; i < batches; i++)
                {
                    // The loader's own per-batch scope, as its code would have: the channel detaches what it sends.
                    using var scope = torch.NewDisposeScope();
                    torch.Tensor scratch = torch.rand(8);
                    channel.Write(new Batch(torch.full(new long[] { 2, 3 }, (float)i) + scratch.sum() * 0, torch.full(new long[] { 2 }, (long)i), i));
                }
                channel.Complete();
            });

            int received = 0;
            while (true)
            {
                using var step = torch.NewDisposeScope();
                if (!channel.TryRead(step, out Batch batch))
                {
                    break;
                }
                Assert.False(batch.Images.IsInvalid);
                Assert.Equal((float)batch.Index, batch.Images.mean().item<float>());
                Assert.Equal(batch.Index, batch.Labels[0].item<long>());
                Assert.Equal(batch.Index, received);
                received++;
            }
            await producer;
            Assert.Equal(batches, received);
        }
        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void Dispose_UnreadBatches_AreDisposed()
    {
        long before = torch.Tensor.TotalCount;
        var channel = new TensorChannel<Batch>(capacity: 4, b => [b.Images, b.Labels]);
        for (int i = 0; i < 3; i++)
        {
            channel.Write(new Batch(torch.zeros(2), torch.zeros(1), i));
        }

        channel.Dispose();

        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    [Fact]
    public void TryRead_ProducerFailed_RethrowsItsErrorAfterTheQueuedBatches()
    {
        using var channel = new TensorChannel<Batch>(capacity: 2, b => [b.Images, b.Labels]);
        channel.Write(new Batch(torch.zeros(1), torch.zeros(1), 0));
        channel.Complete(new InvalidOperationException("corrupt image 17"));

        using (var step = torch.NewDisposeScope())
        {
            Assert.True(channel.TryRead(step, out _));
        }
        var e = Assert.Throws<InvalidOperationException>(() => channel.TryRead(null, out _));
        Assert.Equal("corrupt image 17", e.Message);
    }

    [Fact]
    public void Write_Cancelled_DisposesTheBatch()
    {
        long before = torch.Tensor.TotalCount;
        using var channel = new TensorChannel<Batch>(capacity: 1, b => [b.Images, b.Labels]);
        channel.Write(new Batch(torch.zeros(1), torch.zeros(1), 0));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => channel.Write(new Batch(torch.zeros(1), torch.zeros(1), 1), cancelled.Token));

        Assert.Equal(before + 2, torch.Tensor.TotalCount);
    }

    private sealed record Batch(torch.Tensor Images, torch.Tensor Labels, int Index);
}
