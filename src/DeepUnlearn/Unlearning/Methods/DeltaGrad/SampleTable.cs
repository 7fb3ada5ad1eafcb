using System;
using DeepUnlearn.Torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// Samples addressable by id: feature rows [N, D] and int64 labels [N] on one device, where a sample's
/// id is its row. DeltaGrad and the plain trainer gather mini-batches from it by id. For a head over a
/// frozen network the features are the extracted feature vectors.
/// </summary>
public sealed class SampleTable : IDisposable
{
    private readonly bool _ownsTensors;
    private bool _disposed;

    /// <summary>
    /// Wraps <paramref name="features"/> [N, D] and <paramref name="labels"/> [N]. With
    /// <paramref name="ownsTensors"/> the table disposes them; otherwise the caller keeps them alive.
    /// </summary>
    public SampleTable(Tensor features, Tensor labels, string identity, bool ownsTensors = false)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        if (features.Dim != 2 || features.Size(0) < 1)
        {
            throw new ArgumentException($"features must be [N, D] with N ≥ 1, got [{string.Join(", ", features.ShapeArray())}]", nameof(features));
        }
        if (labels.Dim != 1 || labels.Size(0) != features.Size(0) || labels.DType != DType.Int64)
        {
            throw new ArgumentException(
                $"labels must be int64 [{features.Size(0)}], got {labels.DType} [{string.Join(", ", labels.ShapeArray())}]", nameof(labels));
        }
        if (labels.Device != features.Device)
        {
            throw new ArgumentException($"features are on {features.Device} but labels on {labels.Device}", nameof(labels));
        }
        Features = ownsTensors ? TensorScope.Detach(features) : features;
        Labels = ownsTensors ? TensorScope.Detach(labels) : labels;
        Identity = identity;
        _ownsTensors = ownsTensors;
    }

    /// <summary>The feature rows [N, D].</summary>
    public Tensor Features { get; }

    /// <summary>The labels [N] (int64).</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset (and split), e.g. <c>fashion-mnist/train</c>; trajectories record it.</summary>
    public string Identity { get; }

    /// <summary>N, the number of samples (ids run over [0, N)).</summary>
    public long Count => Features.Size(0);

    /// <summary>D, the number of features.</summary>
    public long FeatureCount => Features.Size(1);

    /// <summary>Where the samples live.</summary>
    public Device Device => Features.Device;

    /// <summary>
    /// The rows of <paramref name="ids"/>, in that order, as new tensors (a view, without copying, when the
    /// ids are one ascending run).
    /// </summary>
    public (Tensor Inputs, Tensor Labels) Gather(ReadOnlySpan<long> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (long id in ids)
        {
            if (id < 0 || id >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"sample id outside [0, {Count})");
            }
        }
        using var scope = TensorScope.Begin();
        if (IsRun(ids))
        {
            long start = ids.IsEmpty ? 0 : ids[0];
            return (scope.Keep(Features.Narrow(0, start, ids.Length)), scope.Keep(Labels.Narrow(0, start, ids.Length)));
        }
        Tensor index = Tensor.From<long>(ids, [ids.Length], Device);
        return (scope.Keep(Features.IndexSelect(0, index)), scope.Keep(Labels.IndexSelect(0, index)));
    }

    /// <summary>Number of classes, 1 + the largest label.</summary>
    public long ClassCount()
    {
        using var scope = TensorScope.Begin();
        return Labels.Max().ItemInt64() + 1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_ownsTensors)
        {
            Features.Dispose();
            Labels.Dispose();
        }
    }

    private static bool IsRun(ReadOnlySpan<long> ids)
    {
        for (int i = 1; i < ids.Length; i++)
        {
            if (ids[i] != ids[i - 1] + 1)
            {
                return false;
            }
        }
        return true;
    }
}
