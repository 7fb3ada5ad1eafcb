using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Data;

/// <summary>
/// One batch from a <see cref="DataLoader"/>: images, labels and the ids of the samples, in the same
/// order. The batch owns its tensors (they belong to no dispose scope); the loader's
/// enumerator disposes a batch when it moves to the next one, so clone anything you keep longer.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels, long[] ids, int epoch, int index)
    {
        Images = images;
        Labels = labels;
        Ids = ids;
        Epoch = epoch;
        Index = index;
    }

    /// <summary>float32 [B, C, H, W] on the loader's device, transformed (normalised) pixels.</summary>
    public Tensor Images { get; }

    /// <summary>int64 [B] class labels on the loader's device.</summary>
    public Tensor Labels { get; }

    /// <summary>The sample ids (dataset indices) of the batch rows.</summary>
    public long[] Ids { get; }

    /// <summary>The epoch the batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>The batch's position within its epoch.</summary>
    public int Index { get; }

    /// <summary>The number of samples (B).</summary>
    public int Count => Ids.Length;

    /// <summary>True once the tensors have been released.</summary>
    public bool IsDisposed => Images.IsInvalid;

    /// <summary>Releases the tensors (idempotent).</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
