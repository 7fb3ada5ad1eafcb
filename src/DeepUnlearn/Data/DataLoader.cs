using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Data.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data;

/// <summary>
/// Batches a dataset (or a subset of its ids) for training and evaluation. Each epoch visits the ids
/// in a seeded order (<see cref="EpochOrder"/>: epoch e shuffles with seed + e, so every epoch differs
/// and each is reproducible), reads and transforms samples on background worker threads with per-sample
/// seeded randomness, and delivers batches strictly in order through a bounded prefetch queue, so the
/// batches are the same whatever the number of workers.
/// </summary>
/// <example>
/// <code>
/// using var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = 128, Seed = 1, Device = device },
///                                   TransformPresets.Train(train), split.Retain);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
///     foreach (Batch batch in loader.Epoch(epoch, cancellationToken))
///     {
///         using var scope = torch.NewDisposeScope();
///         Tensor loss = torch.nn.functional.cross_entropy(model.call(batch.Images), batch.Labels);
///         ...
///     }
/// </code>
/// </example>
public sealed class DataLoader : IDisposable
{
    private readonly int[] _ids;
    private readonly ILogger _logger;
    private readonly PipelinePlan _plan;
    private readonly bool _onDevice;
    private readonly bool _fused;
    private readonly object _gate = new();
    private readonly HashSet<EpochProducer> _active = [];
    private bool _disposed;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="options">Batching, shuffling, workers, seed and device (defaults when null).</param>
    /// <param name="transform">The per-sample pipeline (e.g. <see cref="TransformPresets.Train"/>); null = pixels / 255 only.</param>
    /// <param name="ids">The ids to visit (a split, a forget or retain set), in canonical order; all ids when null.</param>
    /// <param name="logger">Optional logger.</param>
    public DataLoader(IVisionDataset dataset, DataLoaderOptions? options = null, IImageTransform? transform = null, IEnumerable<int>? ids = null, ILogger<DataLoader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DataLoaderOptions();
        if (options.BatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"the batch size must be positive, got {options.BatchSize}");
        }
        if (options.Workers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "Workers must be 0 (consumer thread) or more");
        }
        if (options.Prefetch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Prefetch, "Prefetch must be 0 (default) or more");
        }
        _plan = PipelinePlan.Of(transform);
        _onDevice = ResolvePlacement(options.Augmentation, options.Device, transform) == AugmentationPlacement.Device;
        _fused = options.FuseTransforms && _plan.Crop is not null;
        Dataset = dataset;
        Options = options;
        Transform = transform;
        _ids = ids?.ToArray() ?? Enumerable.Range(0, dataset.Count).ToArray();
        foreach (int id in _ids)
        {
            if ((uint)id >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id {id} is out of range: {dataset.Name} has ids 0..{dataset.Count - 1}");
            }
        }
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The dataset read.</summary>
    public IVisionDataset Dataset { get; }

    /// <summary>The options in force.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>The per-sample transform, or null.</summary>
    public IImageTransform? Transform { get; }

    /// <summary>Where batches are finished (<see cref="DataLoaderOptions.Augmentation"/> resolved for the device and the pipeline).</summary>
    public AugmentationPlacement Placement => _onDevice ? AugmentationPlacement.Device : AugmentationPlacement.Host;

    /// <summary>
    /// Where a loader finishes its batches: <paramref name="requested"/>, with <see cref="AugmentationPlacement.Auto"/>
    /// resolved to the device for CUDA (when <paramref name="transform"/> allows it) and to the host otherwise (on the
    /// CPU the host's fused path measured about 3× more images per CPU-second than the uint8 batch finished by tensor
    /// operations: docs/data.md).
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="AugmentationPlacement.Device"/> for a pipeline that normalises before its end.</exception>
    public static AugmentationPlacement ResolvePlacement(AugmentationPlacement requested, Device device, IImageTransform? transform)
    {
        ArgumentNullException.ThrowIfNull(device);
        bool possible = PipelinePlan.Of(transform).CanFinishOnDevice;
        return requested switch
        {
            AugmentationPlacement.Device when !possible => throw new ArgumentException(
                $"augmentation on the device needs a pipeline whose normalisation comes last (its flip just before it), so that what precedes is still pixels; got {transform}"),
            AugmentationPlacement.Device => AugmentationPlacement.Device,
            AugmentationPlacement.Host => AugmentationPlacement.Host,
            _ => device.type == DeviceType.CUDA && possible ? AugmentationPlacement.Device : AugmentationPlacement.Host,
        };
    }

    /// <summary>Whether the pipeline runs fused (<see cref="DataLoaderOptions.FuseTransforms"/> and a RandomResizedCrop pipeline).</summary>
    internal bool IsFused => _fused;

    /// <summary>The ids visited each epoch, in canonical (unshuffled) order.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>The number of samples visited per epoch, before dropping the last batch.</summary>
    public int SampleCount => _ids.Length;

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => Options.DropLast ? _ids.Length / Options.BatchSize : (_ids.Length + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> visits the ids (its permutation of <see cref="Ids"/>;
    /// the canonical order when not shuffling). A pure function of (ids, seed, epoch): the order the epoch
    /// used, for replaying a training run (DeltaGrad). With DropLast, the ids after the last full batch are
    /// not visited.
    /// </summary>
    public int[] EpochOrder(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        int[] order = (int[])_ids.Clone();
        if (Options.Shuffle)
        {
            new DeterministicRandom(Options.Seed + (ulong)epoch).Shuffle<int>(order);
        }
        return order;
    }

    /// <summary>The ids of each batch of epoch <paramref name="epoch"/>, in delivery order (DropLast applied).</summary>
    public int[][] EpochBatchIds(int epoch)
    {
        int[] order = EpochOrder(epoch);
        var batches = new int[BatchCount][];
        for (int b = 0; b < batches.Length; b++)
        {
            int start = b * Options.BatchSize;
            batches[b] = order[start..Math.Min(start + Options.BatchSize, order.Length)];
        }
        return batches;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>. Enumeration starts the workers; leaving the loop
    /// (or cancelling, or disposing the loader) stops them. Each batch is disposed when the enumerator
    /// moves on. A failure while reading a sample (an undecodable image) is rethrown when its batch is due.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return EnumerateEpoch(epoch, cancellationToken);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with <paramref name="shape"/>, on <paramref name="device"/>.</summary>
    private static Tensor HostTensor<T>(ReadOnlySpan<T> data, long[] shape, ScalarType dtype, Device device)
        where T : unmanaged
    {
        Tensor host = torch.empty(shape, dtype);
        MemoryMarshal.AsBytes(data).CopyTo(host.bytes);
        if (device.type == DeviceType.CPU)
        {
            return host;
        }
        using (host)
        {
            return host.to(device);
        }
    }

    /// <summary>Stops any running epoch and its workers.</summary>
    public void Dispose()
    {
        EpochProducer[] running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            running = [.. _active];
        }
        foreach (EpochProducer producer in running)
        {
            producer.Dispose();
        }
    }

    private IEnumerable<Batch> EnumerateEpoch(int epoch, CancellationToken cancellationToken)
    {
        int[] order = EpochOrder(epoch);
        int batchCount = BatchCount;
        int prefetch = Options.Prefetch > 0 ? Options.Prefetch : Math.Max(2 * Options.Workers, 1);
        DataLog.EpochStarted(_logger, epoch, order.Length, batchCount, Options.Workers, prefetch);
        long started = Stopwatch.GetTimestamp();
        Batch? previous = null;
        EpochProducer? producer = null;
        WorkerState? inline = null;
        try
        {
            if (Options.Workers > 0)
            {
                producer = new EpochProducer(this, order, epoch, batchCount, prefetch, cancellationToken);
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    _active.Add(producer);
                }
                producer.Start(Options.Workers);
            }
            else
            {
                inline = new WorkerState(Options.Seed);
            }
            for (int index = 0; index < batchCount; index++)
            {
                Batch batch;
                if (producer is not null)
                {
                    batch = producer.Take(index);
                }
                else
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    batch = BuildBatch(order, epoch, index, inline!, cancellationToken);
                }
                previous?.Dispose();
                previous = batch;
                yield return batch;
            }
            DataLog.EpochFinished(_logger, epoch, batchCount, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            previous?.Dispose();
            inline?.Dispose();
            if (producer is not null)
            {
                producer.Dispose();
                lock (_gate)
                {
                    _active.Remove(producer);
                }
            }
        }
    }

    // Reads, transforms and stacks one batch. Runs on a worker thread (or the consumer's when Workers = 0);
    // the tensors it creates belong to no scope and are owned by the returned Batch. Every sample is written straight
    // into the batch's host tensor (no per-sample copies); what the pixels go through depends on the path:
    // - fused (RandomResizedCrop [→ flip] [→ normalise]): resampled from the uint8 pixels (a packed store's mapping, not
    //   copied) row by row into the tensor, normalised and mirrored on the way (float) or rounded (uint8, for the device);
    // - otherwise the pipeline transform by transform (on the device path its prefix, then rounded to uint8).
    // The random draws are the pipeline's, in its order, whatever the path.
    private unsafe Batch BuildBatch(int[] order, int epoch, int index, WorkerState state, CancellationToken cancellationToken)
    {
        int start = index * Options.BatchSize;
        int count = Math.Min(Options.BatchSize, order.Length - start);
        var ids = new long[count];
        var labels = new long[count];
        bool[]? flips = _onDevice && _plan.Flip is not null ? new bool[count] : null;
        ScalarType dtype = _onDevice ? ScalarType.Byte : ScalarType.Float32;
        HostBatch? host = null;
        try
        {
            for (int k = 0; k < count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int id = order[start + k];
                TransformContext context = state.Context;
                context.BeginSample(epoch, id);
                if (_fused)
                {
                    RandomResizedCrop crop = _plan.Crop!;
                    ReadOnlySpan<byte> pixels = Pixels(id, state.Bytes, out int channels, out int height, out int width);
                    var (top, left, windowHeight, windowWidth) = crop.SampleWindow(height, width, context.Random);
                    bool flip = _plan.Flip?.Draw(context) ?? false;
                    host ??= HostBatch.Create(state, count, channels, crop.Height, crop.Width, dtype, Options.Device);
                    host.Check(k, id, ids[0], channels, crop.Height, crop.Width);
                    _plan.CheckChannels(channels, id);
                    if (_onDevice)
                    {
                        var sink = new BatchRowSinks.Bytes(host.Slot(k), crop.Height, crop.Width);
                        Resampling.ResizeRegion(pixels, channels, height, width, top, left, windowHeight, windowWidth, crop.Height, crop.Width, ref sink);
                    }
                    else
                    {
                        var sink = new BatchRowSinks.Float((float*)host.Slot(k), crop.Height, crop.Width, _plan.Normalize, flip);
                        Resampling.ResizeRegion(pixels, channels, height, width, top, left, windowHeight, windowWidth, crop.Height, crop.Width, ref sink);
                    }
                    if (flips is not null)
                    {
                        flips[k] = flip;
                    }
                }
                else
                {
                    Dataset.Read(id, state.Bytes);
                    context.SetSource(state.Bytes);
                    if (_onDevice)
                    {
                        _plan.ApplyPrefix(context);
                        bool flip = _plan.Flip?.Draw(context) ?? false;
                        if (context.TryPeekSource(out ImageBuffer untouched))
                        {
                            // Nothing changed the pixels: they go as they are.
                            host ??= HostBatch.Create(state, count, untouched.Channels, untouched.Height, untouched.Width, dtype, Options.Device);
                            host.Check(k, id, ids[0], untouched.Channels, untouched.Height, untouched.Width);
                            untouched.Pixels.CopyTo(new Span<byte>(host.Slot(k), untouched.Length));
                        }
                        else
                        {
                            FloatImage image = context.Image;
                            host ??= HostBatch.Create(state, count, image.Channels, image.Height, image.Width, dtype, Options.Device);
                            host.Check(k, id, ids[0], image.Channels, image.Height, image.Width);
                            ByteScale.Round(image.Pixels, new Span<byte>(host.Slot(k), image.Length));
                        }
                        _plan.CheckChannels(host.Channels, id);
                        if (flips is not null)
                        {
                            flips[k] = flip;
                        }
                    }
                    else
                    {
                        Transform?.Apply(context);
                        FloatImage image = context.Image;
                        host ??= HostBatch.Create(state, count, image.Channels, image.Height, image.Width, dtype, Options.Device);
                        host.Check(k, id, ids[0], image.Channels, image.Height, image.Width);
                        image.Pixels.CopyTo(new Span<float>((float*)host.Slot(k), image.Length));
                    }
                }
                ids[k] = id;
                labels[k] = Dataset.Label(id);
            }
            // Loader threads run outside any dispose scope: the batch owns its tensors and hands them to the consumer.
            Tensor images = host!.Deliver(Options.Device, _onDevice ? _plan : null, flips);
            try
            {
                Tensor labelTensor = HostTensor<long>(labels, [count], ScalarType.Int64, Options.Device);
                return new Batch(images, labelTensor, ids, epoch, index);
            }
            catch
            {
                images.Dispose();
                throw;
            }
        }
        finally
        {
            host?.Dispose();
        }
    }

    /// <summary>
    /// Sample <paramref name="id"/>'s uint8 CHW pixels: a packed store's own mapping (no copy), else read into
    /// <paramref name="buffer"/>.
    /// </summary>
    private ReadOnlySpan<byte> Pixels(int id, ImageBuffer buffer, out int channels, out int height, out int width)
    {
        if (Dataset is PackedDataset packed)
        {
            (height, width) = packed.Size(id);
            channels = packed.Channels;
            return packed.Pixels(id);
        }
        Dataset.Read(id, buffer);
        (channels, height, width) = (buffer.Channels, buffer.Height, buffer.Width);
        return buffer.Pixels;
    }

    /// <summary>Per-thread scratch: the uint8 sample, the transform context, and on CUDA a reusable pinned staging buffer.</summary>
    private sealed class WorkerState(ulong seed) : IDisposable
    {
        public ImageBuffer Bytes { get; } = new();

        public TransformContext Context { get; } = new(seed);

        /// <summary>Page-locked host memory the batches of this thread are built in before their copy to CUDA (flat, grows).</summary>
        public Tensor? Pinned { get; set; }

        public void Dispose()
        {
            Pinned?.Dispose();
            Pinned = null;
        }
    }

    /// <summary>
    /// One batch's host tensor [count, C, H, W] (float32, or uint8 for the device path) that samples are written into:
    /// on the CPU a fresh tensor that becomes the batch itself; for CUDA a view of the thread's pinned buffer, copied to
    /// the device synchronously (so the buffer is free again when <see cref="Deliver"/> returns).
    /// </summary>
    private sealed unsafe class HostBatch : IDisposable
    {
        private readonly Tensor _tensor;
        private readonly byte* _data;
        private readonly long _sampleBytes;
        private bool _delivered;

        private HostBatch(Tensor tensor, int channels, int height, int width, long sampleBytes)
        {
            _tensor = tensor;
            Channels = channels;
            Height = height;
            Width = width;
            _sampleBytes = sampleBytes;
            _data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
        }

        public int Channels { get; }

        public int Height { get; }

        public int Width { get; }

        public static HostBatch Create(WorkerState state, int count, int channels, int height, int width, ScalarType dtype, Device device)
        {
            long[] shape = [count, channels, height, width];
            long elementSize = dtype == ScalarType.Byte ? 1 : sizeof(float);
            long sampleBytes = (long)channels * height * width * elementSize;
            if (device.type != DeviceType.CUDA)
            {
                return new HostBatch(torch.empty(shape, dtype), channels, height, width, sampleBytes);
            }
            long elements = count * sampleBytes / elementSize;
            if (state.Pinned is null || state.Pinned.dtype != dtype || state.Pinned.numel() < elements)
            {
                state.Pinned?.Dispose();
                using Tensor pageable = torch.empty([elements], dtype);
                state.Pinned = pageable.pin_memory();
            }
            using Tensor flat = state.Pinned.narrow(0, 0, elements);
            return new HostBatch(flat.view(shape), channels, height, width, sampleBytes);
        }

        public byte* Slot(int k) => _data + (k * _sampleBytes);

        public void Check(int k, int id, long firstId, int channels, int height, int width)
        {
            if (channels != Channels || height != Height || width != Width)
            {
                throw new InvalidOperationException(
                    $"sample {id} is {channels}x{height}x{width} after the transforms, but sample {(k == 0 ? id : firstId)} of the same batch is " +
                    $"{Channels}x{Height}x{Width}; images of different sizes need a transform that fixes the size (Resize + CenterCrop, RandomResizedCrop)");
            }
        }

        /// <summary>The batch on <paramref name="device"/>: this tensor, or its copy; finished there when <paramref name="plan"/> is given.</summary>
        public Tensor Deliver(Device device, PipelinePlan? plan, bool[]? flips)
        {
            if (device.type == DeviceType.CPU && plan is null)
            {
                _delivered = true;
                return _tensor;
            }
            Tensor placed = device.type == DeviceType.CPU ? _tensor : _tensor.to(device);
            if (plan is null)
            {
                return placed;
            }
            try
            {
                return DeviceAugmentation.Finish(placed, plan.Normalize, flips);
            }
            finally
            {
                if (!ReferenceEquals(placed, _tensor))
                {
                    placed.Dispose();
                }
            }
        }

        public void Dispose()
        {
            if (!_delivered)
            {
                _tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// The workers of one epoch. Workers claim batch indices in order, but only while the index is within
    /// <c>capacity</c> of the consumer's position (the bounded queue); finished batches wait in a ring of
    /// slots until the consumer takes them in index order.
    /// </summary>
    private sealed class EpochProducer : IDisposable
    {
        private readonly DataLoader _loader;
        private readonly int[] _order;
        private readonly int _epoch;
        private readonly int _batchCount;
        private readonly int _capacity;
        private readonly Batch?[] _ready;
        private readonly ExceptionDispatchInfo?[] _errors;
        private readonly object _gate = new();
        private readonly CancellationToken _userToken;
        private readonly CancellationTokenSource _stop;
        private readonly CancellationTokenRegistration _wake;
        private readonly List<Thread> _threads = [];
        private int _nextToClaim;
        private int _nextToTake;
        private bool _stopping;
        private bool _disposed;

        public EpochProducer(DataLoader loader, int[] order, int epoch, int batchCount, int capacity, CancellationToken cancellationToken)
        {
            _loader = loader;
            _order = order;
            _epoch = epoch;
            _batchCount = batchCount;
            _capacity = capacity;
            _ready = new Batch?[capacity];
            _errors = new ExceptionDispatchInfo?[capacity];
            _userToken = cancellationToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _wake = _stop.Token.Register(WakeAll);
        }

        public void Start(int workers)
        {
            for (int w = 0; w < workers; w++)
            {
                var thread = new Thread(Run) { IsBackground = true, Name = $"DataLoader worker {w}" };
                _threads.Add(thread);
                thread.Start();
            }
        }

        public Batch Take(int index)
        {
            Debug.Assert(index == _nextToTake, "batches are taken in order");
            _userToken.ThrowIfCancellationRequested();
            Batch? batch;
            ExceptionDispatchInfo? error;
            lock (_gate)
            {
                int slot = index % _capacity;
                while (_ready[slot] is null && _errors[slot] is null && !_stop.IsCancellationRequested)
                {
                    Monitor.Wait(_gate);
                }
                batch = _ready[slot];
                error = _errors[slot];
                if (batch is null && error is null)
                {
                    _userToken.ThrowIfCancellationRequested();
                    throw new ObjectDisposedException(nameof(DataLoader), "the data loader was disposed while an epoch was running");
                }
                _ready[slot] = null;
                _errors[slot] = null;
                _nextToTake++;
                Monitor.PulseAll(_gate);
            }
            if (error is not null)
            {
                DataLog.EpochFailed(_loader._logger, _epoch, index, error.SourceException.Message);
                Dispose();
                error.Throw();
            }
            return batch!;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
            _stop.Cancel();
            foreach (Thread thread in _threads)
            {
                if (thread != Thread.CurrentThread)
                {
                    thread.Join();
                }
            }
            lock (_gate)
            {
                for (int i = 0; i < _capacity; i++)
                {
                    _ready[i]?.Dispose();
                    _ready[i] = null;
                }
            }
            _wake.Dispose();
            _stop.Dispose();
        }

        private void WakeAll()
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        private void Run()
        {
            using var state = new WorkerState(_loader.Options.Seed);
            while (true)
            {
                int index;
                lock (_gate)
                {
                    while (!_stopping && _nextToClaim < _batchCount && _nextToClaim >= _nextToTake + _capacity)
                    {
                        Monitor.Wait(_gate);
                    }
                    if (_stopping || _nextToClaim >= _batchCount)
                    {
                        return;
                    }
                    index = _nextToClaim++;
                }
                Batch? batch = null;
                ExceptionDispatchInfo? error = null;
                try
                {
                    batch = _loader.BuildBatch(_order, _epoch, index, state, _stop.Token);
                }
                catch (Exception e)
                {
                    // Handed to the consumer, who rethrows it when this batch is due.
                    error = ExceptionDispatchInfo.Capture(e);
                }
                lock (_gate)
                {
                    if (_stopping)
                    {
                        batch?.Dispose();
                        return;
                    }
                    _ready[index % _capacity] = batch;
                    _errors[index % _capacity] = error;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
