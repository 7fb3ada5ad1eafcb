using System;
using DeepUnlearn.Data;
using TorchSharp;
using static TorchSharp.torch;

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
        if (features.dim() != 2 || features.size(0) < 1)
        {
            throw new ArgumentException($"features must be [N, D] with N ≥ 1, got [{string.Join(", ", features.shape)}]", nameof(features));
        }
        if (labels.dim() != 1 || labels.size(0) != features.size(0) || labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException(
                $"labels must be int64 [{features.size(0)}], got {labels.dtype} [{string.Join(", ", labels.shape)}]", nameof(labels));
        }
        if (labels.device_type != features.device_type || labels.device_index != features.device_index)
        {
            throw new ArgumentException($"features are on {features.device} but labels on {labels.device}", nameof(labels));
        }
        Features = ownsTensors ? features.DetachFromDisposeScope() : features;
        Labels = ownsTensors ? labels.DetachFromDisposeScope() : labels;
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
    public long Count => Features.size(0);

    /// <summary>D, the number of features.</summary>
    public long FeatureCount => Features.size(1);

    /// <summary>Where the samples live.</summary>
    public Device Device => Features.device;

    /// <summary>
    /// The images of <paramref name="dataset"/> as flat feature rows (C·H·W pixels scaled to [0, 1]) with their
    /// labels, on <paramref name="device"/> in <paramref name="dtype"/>; sample ids are the dataset's ids. The
    /// identity is <c>{name}/{split}/pixels</c>.
    /// </summary>
    public static SampleTable FromImages(InMemoryVisionDataset dataset, DatasetSplit split, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Float32 or Float64");
        }
        using var scope = torch.NewDisposeScope();
        Tensor pixels = torch.empty([dataset.Count, dataset.SampleLength], ScalarType.Byte);
        dataset.Pixels.Span.CopyTo(pixels.bytes);
        Tensor features = pixels.to(dtype, device).div(255.0);
        long[] labels = new long[dataset.Count];
        ReadOnlySpan<int> source = dataset.Labels.Span;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = source[i];
        }
        Tensor labelTensor = torch.tensor(labels, device: device);
        string identity = $"{dataset.Name}/{split.ToString().ToLowerInvariant()}/pixels";
        return new SampleTable(features.MoveToOuterDisposeScope(), labelTensor.MoveToOuterDisposeScope(), identity, ownsTensors: true);
    }

    /// <summary>The mean feature row [1, D] (e.g. the training set's, to centre train and test alike).</summary>
    public Tensor FeatureMean()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Features.mean([0], keepdim: true);
    }

    /// <summary>
    /// A new table (owning its features) with <paramref name="mean"/> [1, D] subtracted from every row and
    /// <paramref name="suffix"/> appended to the identity. Centring keeps plain gradient descent on linear
    /// models well conditioned (the mean image is the direction of largest curvature of raw pixels).
    /// </summary>
    public SampleTable Centered(Tensor mean, string suffix = "centred")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(mean);
        if (mean.numel() != FeatureCount)
        {
            throw new ArgumentException($"the mean has {mean.numel()} values for {FeatureCount} features", nameof(mean));
        }
        using var scope = torch.NewDisposeScope();
        Tensor centred = Features.sub(mean.reshape(1, FeatureCount).to(Features.dtype, Device));
        Tensor labels = Labels.clone();
        return new SampleTable(centred.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), $"{Identity}-{suffix}", ownsTensors: true);
    }

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
        using var scope = torch.NewDisposeScope();
        if (IsRun(ids))
        {
            long start = ids.IsEmpty ? 0 : ids[0];
            return (Features.narrow(0, start, ids.Length).MoveToOuterDisposeScope(), Labels.narrow(0, start, ids.Length).MoveToOuterDisposeScope());
        }
        Tensor index = torch.tensor(ids.ToArray(), device: Device);
        return (Features.index_select(0, index).MoveToOuterDisposeScope(), Labels.index_select(0, index).MoveToOuterDisposeScope());
    }

    /// <summary>Number of classes, 1 + the largest label.</summary>
    public long ClassCount()
    {
        using var scope = torch.NewDisposeScope();
        return Labels.max().ToInt64() + 1;
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
