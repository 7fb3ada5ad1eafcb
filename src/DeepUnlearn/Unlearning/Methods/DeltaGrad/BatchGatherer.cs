using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// Gathers mini-batches from a <see cref="SampleTable"/>, reusing the last gathered batch when the next
/// step asks for the same ids. Full-batch gradient descent on a reduced training set then gathers the
/// reduced set once, as a retrain that builds the new dataset once would, instead of copying it every step.
/// The returned tensors are borrowed and valid until the next call or disposal.
/// </summary>
internal sealed class BatchGatherer : IDisposable
{
    private readonly SampleTable _table;
    private long[] _ids = [];
    private Tensor? _inputs;
    private Tensor? _labels;

    public BatchGatherer(SampleTable table)
    {
        _table = table;
    }

    public (Tensor Inputs, Tensor Labels) Get(long[] ids)
    {
        if (_inputs is not null && _labels is not null
            && (ReferenceEquals(ids, _ids) || ids.AsSpan().SequenceEqual(_ids)))
        {
            return (_inputs, _labels);
        }
        Release();
        var (inputs, labels) = _table.Gather(ids);
        _inputs = inputs.DetachFromDisposeScope();
        _labels = labels.DetachFromDisposeScope();
        _ids = ids;
        return (_inputs, _labels);
    }

    public void Dispose() => Release();

    private void Release()
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _inputs = null;
        _labels = null;
        _ids = [];
    }
}
