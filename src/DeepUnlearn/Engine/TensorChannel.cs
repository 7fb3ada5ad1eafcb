using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Hands batches of tensors from a loader thread to the training thread. TorchSharp's dispose scopes belong to the
/// thread that opened them: a tensor made inside the loader's per-batch scope is disposed when that scope closes,
/// under the consumer's feet, and a tensor still registered with the loader's scope must not be disposed from another
/// thread (the scope's bookkeeping is not thread-safe). <see cref="Write"/> detaches a batch's tensors from every
/// scope on the producer thread; <see cref="TryRead"/> attaches them to the consumer's step scope on the consumer
/// thread, so the step frees them. Batches never delivered are disposed with the channel.
/// </summary>
/// <typeparam name="TBatch">A batch: any object whose tensors <c>tensorsOf</c> lists (e.g. a record of images, labels and ids).</typeparam>
public sealed class TensorChannel<TBatch> : IDisposable
{
    private readonly BlockingCollection<TBatch> _queue;
    private readonly Func<TBatch, IEnumerable<torch.Tensor>> _tensorsOf;
    private ExceptionDispatchInfo? _producerError;
    private bool _disposed;

    /// <summary>Creates a channel holding at most <paramref name="capacity"/> batches (the prefetch depth).</summary>
    /// <param name="capacity">Batches buffered before <see cref="Write"/> blocks; at least 1.</param>
    /// <param name="tensorsOf">The tensors of a batch (every one the consumer receives).</param>
    public TensorChannel(int capacity, Func<TBatch, IEnumerable<torch.Tensor>> tensorsOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(tensorsOf);
        _queue = new BlockingCollection<TBatch>(capacity);
        _tensorsOf = tensorsOf;
    }

    /// <summary>
    /// Producer thread: detaches <paramref name="batch"/>'s tensors from the producer's dispose scopes and queues it,
    /// blocking while the channel is full. From here the channel, then the consumer, owns the tensors.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting (the batch is disposed).</exception>
    /// <exception cref="InvalidOperationException">The channel was completed or disposed (the batch is disposed).</exception>
    public void Write(TBatch batch, CancellationToken cancellationToken = default)
    {
        foreach (torch.Tensor tensor in _tensorsOf(batch))
        {
            tensor.DetachFromDisposeScope();
        }
        try
        {
            _queue.Add(batch, cancellationToken);
        }
        catch
        {
            DisposeBatch(batch);
            throw;
        }
    }

    /// <summary>Producer thread: no more batches; <paramref name="error"/>, when given, is rethrown to the consumer after the queued batches.</summary>
    public void Complete(Exception? error = null)
    {
        if (error is not null)
        {
            _producerError = ExceptionDispatchInfo.Capture(error);
        }
        _queue.CompleteAdding();
    }

    /// <summary>
    /// Consumer thread: waits for the next batch and attaches its tensors to <paramref name="scope"/> (the step's
    /// scope, which then disposes them; null: the caller owns and disposes them). False once the producer completed
    /// and every batch was read.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="Exception">The error the producer completed with, after the last batch.</exception>
    public bool TryRead(DisposeScope? scope, out TBatch batch, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_queue.TryTake(out TBatch? item, Timeout.Infinite, cancellationToken))
        {
            scope?.Attach(_tensorsOf(item).Cast<IDisposable>());
            batch = item;
            return true;
        }
        _producerError?.Throw();
        batch = default!;
        return false;
    }

    /// <summary>Completes the channel and disposes the tensors of every batch not read. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }
        while (_queue.TryTake(out TBatch? left))
        {
            DisposeBatch(left);
        }
        _queue.Dispose();
    }

    private void DisposeBatch(TBatch batch)
    {
        foreach (torch.Tensor tensor in _tensorsOf(batch))
        {
            tensor.Dispose();
        }
    }
}
