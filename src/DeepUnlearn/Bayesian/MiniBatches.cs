using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>Row indices for minibatch steps: seeded permutations, one epoch after another.</summary>
internal sealed class MiniBatches : IDisposable
{
    private readonly int _count;
    private readonly Generator _generator;
    private readonly Device _device;
    private Tensor? _permutation;
    private long _position;

    public MiniBatches(int count, int batchSize, Generator generator, Device device)
    {
        _count = count;
        _generator = generator;
        _device = device;
        BatchSize = batchSize <= 0 || batchSize >= count ? count : batchSize;
    }

    /// <summary>Rows per step.</summary>
    public int BatchSize { get; }

    /// <summary>Whether every step uses every row (then <see cref="Next"/> need not be indexed).</summary>
    public bool IsFull => BatchSize == _count;

    /// <summary>The next batch's row indices (int64), owned by the current scope.</summary>
    public Tensor Next()
    {
        if (IsFull)
        {
            return torch.arange(_count, device: _device);
        }
        if (_permutation is null || _position + BatchSize > _count)
        {
            _permutation?.Dispose();
            // Drawn on the CPU (where the generator lives) and moved, so a seed gives the same batches on every device.
            using (var scope = torch.NewDisposeScope())
            {
                _permutation = torch.randperm(_count, ScalarType.Int64, generator: _generator).to(_device).DetachFromDisposeScope();
            }
            _position = 0;
        }
        Tensor batch = _permutation.narrow(0, _position, BatchSize);
        _position += BatchSize;
        return batch;
    }

    public void Dispose() => _permutation?.Dispose();
}
