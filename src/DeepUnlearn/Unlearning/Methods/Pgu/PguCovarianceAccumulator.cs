using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// R_l = Σ x·xᵀ over the input vectors x of every PGU layer l (<see cref="PguLayer.InputRows"/>: a linear layer's
/// input rows, a convolution's unfolded patches) seen in the forward passes run through <see cref="Run"/>: the
/// per-layer representation matrix of PGU (Hoang et al., WACV 2024, §3; <c>compute_svd</c> in the authors'
/// <c>utils/unlearn_utils.py</c>). Forward hooks (<see cref="ForwardCapture"/>) collect the inputs; each batch's
/// product is formed in the model's dtype, summed in that dtype over at most <see cref="FlushEvery"/> batches, and
/// those partial sums in float64. Dispose (or <see cref="Take"/>) removes the hooks.
/// </summary>
public sealed class PguCovarianceAccumulator : IDisposable
{
    /// <summary>Batches summed in the model's dtype before the partial sums are added to the float64 totals.</summary>
    public const int FlushEvery = 8;

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Tensor[] _sums;
    private readonly Tensor?[] _pending;
    private readonly ForwardCapture _capture;
    private int _batchesPending;
    private bool _taken;

    /// <summary>
    /// Attaches hooks to <paramref name="layers"/> (found in <paramref name="model"/> by <see cref="PguLayer.Find"/>)
    /// and starts from zero matrices on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A layer is not a submodule of <paramref name="model"/>.</exception>
    public PguCovarianceAccumulator(nn.Module<Tensor, Tensor> model, IReadOnlyList<PguLayer> layers, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        _model = model;
        _sums = layers.Select(l => torch.zeros([l.Inputs, l.Inputs], ScalarType.Float64, device).DetachFromDisposeScope()).ToArray();
        _pending = new Tensor?[layers.Count];
        var index = layers.Select((layer, l) => (layer, l)).ToDictionary(e => e.layer.Name, StringComparer.Ordinal);
        try
        {
            _capture = ForwardCapture.Attach(model, index.Keys, (name, input, _) =>
            {
                var (layer, l) = index[name];
                using var scope = torch.NewDisposeScope();
                Tensor columns = layer.InputColumns(input); // [d, N·L]
                Tensor product = columns.mm(columns.T);     // Σ x·xᵀ over this batch
                if (_pending[l] is Tensor pending)
                {
                    pending.add_(product);
                }
                else
                {
                    _pending[l] = product.DetachFromDisposeScope();
                }
            });
        }
        catch
        {
            foreach (Tensor t in _sums)
            {
                t.Dispose();
            }
            throw;
        }
    }

    /// <summary>Samples (images) run so far.</summary>
    public long Samples { get; private set; }

    /// <summary>The running sums, one [Inputs, Inputs] float64 matrix per layer (owned by the accumulator until <see cref="Take"/>).</summary>
    public IReadOnlyList<Tensor> Sums
    {
        get
        {
            Flush();
            return _sums;
        }
    }

    /// <summary>A forward pass of the model on <paramref name="images"/> without gradients; the hooks add its layer inputs.</summary>
    /// <exception cref="InvalidOperationException">A layer's hook did not fire: the model runs it with <c>forward()</c> instead of <c>call()</c>, or not at all.</exception>
    public void Run(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_taken, this);
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            _capture.Reset();
            _model.call(images);
            // A layer whose hook stays silent would keep R_l = 0 and move freely: wrong, not merely slow.
            _capture.EnsureAllFired();
        }
        Samples += images.size(0);
        if (++_batchesPending >= FlushEvery)
        {
            Flush();
        }
    }

    /// <summary>
    /// The sums R_l of <paramref name="model"/>'s layer inputs over the training samples <paramref name="ids"/> of
    /// <paramref name="data"/>, computed as <paramref name="protocol"/> says (evaluation mode: BatchNorm uses its
    /// running statistics, dropout is off), one float64 matrix per layer (the caller disposes them). With a
    /// sub-sample, the sum over it is rescaled by |ids| / |sample|. <paramref name="progress"/> receives
    /// (batches done, batches) after every batch.
    /// </summary>
    public static Tensor[] Collect(nn.Module<Tensor, Tensor> model, IReadOnlyList<PguLayer> layers, VisionData data, IReadOnlyList<int> ids, PguCovarianceProtocol protocol, Device device, int workers, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(protocol);
        using var accumulator = new PguCovarianceAccumulator(model, layers, device);
        if (ids.Count == 0)
        {
            return accumulator.Take();
        }
        int[] sample = [.. ids];
        if (protocol.Samples > 0 && sample.Length > protocol.Samples)
        {
            sample = new DeterministicRandom(DeterministicRandom.Hash(protocol.AugmentationSeed, 0x70677573UL)).SampleToFront<int>(sample, protocol.Samples).ToArray();
        }
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using DataLoader loader = data.TrainLoader(sample, training: protocol.Augment, protocol.BatchSize, protocol.AugmentationSeed, device, workers, protocol.Augment);
            int done = 0;
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                accumulator.Run(batch.Images);
                progress?.Invoke(++done, loader.BatchCount);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        Tensor[] sums = accumulator.Take();
        if (sample.Length != ids.Count)
        {
            using var noGrad = torch.no_grad();
            foreach (Tensor s in sums)
            {
                s.mul_((double)ids.Count / sample.Length);
            }
        }
        return sums;
    }

    /// <summary>Removes the hooks and hands over the sums (the caller disposes them).</summary>
    public Tensor[] Take()
    {
        ObjectDisposedException.ThrowIf(_taken, this);
        Flush();
        _capture.Dispose();
        _taken = true;
        return _sums;
    }

    /// <summary>Removes the hooks and releases the sums unless they were taken.</summary>
    public void Dispose()
    {
        if (_taken)
        {
            return;
        }
        _capture.Dispose();
        _taken = true;
        foreach (Tensor t in _sums.Concat(_pending.OfType<Tensor>()))
        {
            t.Dispose();
        }
    }

    private void Flush()
    {
        using var noGrad = torch.no_grad();
        for (int l = 0; l < _pending.Length; l++)
        {
            if (_pending[l] is Tensor pending)
            {
                using (torch.NewDisposeScope())
                {
                    _sums[l].add_(pending.to(ScalarType.Float64));
                }
                pending.Dispose();
                _pending[l] = null;
            }
        }
        _batchesPending = 0;
    }
}
