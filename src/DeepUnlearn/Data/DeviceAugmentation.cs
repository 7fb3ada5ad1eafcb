using System;
using System.Linq;
using DeepUnlearn.Data.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Data;

/// <summary>
/// The end of a pipeline as tensor operations on a uint8 batch where it lies (<see cref="AugmentationPlacement.Device"/>):
/// x / 255 (torchvision's ToTensor), mirrored where the sample's flip was drawn, (x − mean_c) · (1 / std_c). The same
/// IEEE operations, in the same order, as <see cref="ByteScale"/>, <see cref="RandomHorizontalFlip"/> and
/// <see cref="Normalize"/> on the host, with the same float32 constants, so on the CPU the batch is the host's to the bit
/// (tested); on CUDA each operation is correctly rounded as well.
/// </summary>
internal static class DeviceAugmentation
{
    /// <summary>
    /// Finishes <paramref name="bytes"/> (uint8 [N, C, H, W]) into a new float32 batch on its device.
    /// <paramref name="flips"/> (one per sample, or null) says which samples are mirrored; <paramref name="normalize"/>
    /// (or null) gives the statistics.
    /// </summary>
    public static Tensor Finish(Tensor bytes, Normalize? normalize, bool[]? flips)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.dtype != ScalarType.Byte || bytes.dim() != 4)
        {
            throw new ArgumentException($"expected a uint8 [N, C, H, W] batch, got {bytes.dtype} of shape [{string.Join(", ", bytes.shape)}]", nameof(bytes));
        }
        if (flips is not null && flips.Length != bytes.shape[0])
        {
            throw new ArgumentException($"{flips.Length} flip decisions for a batch of {bytes.shape[0]}", nameof(flips));
        }
        using var scope = torch.NewDisposeScope();
        Device device = bytes.device;
        Tensor x = bytes.to(ScalarType.Float32).div_(255f);
        long[] flipped = flips is null ? [] : Enumerable.Range(0, flips.Length).Where(i => flips[i]).Select(i => (long)i).ToArray();
        if (flipped.Length > 0)
        {
            // Only the mirrored samples are read and written again.
            Tensor rows = torch.tensor(flipped, device: device);
            x.index_copy_(0, rows, x.index_select(0, rows).flip(3));
        }
        if (normalize is not null)
        {
            long channels = x.shape[1];
            if (normalize.Means.Length != channels)
            {
                throw new InvalidOperationException($"Normalize has statistics for {normalize.Means.Length} channel(s), but the batch has {channels}");
            }
            Tensor mean = torch.tensor(normalize.Means.ToArray(), device: device).view(1, -1, 1, 1);
            Tensor scale = torch.tensor(normalize.InverseStds.ToArray(), device: device).view(1, -1, 1, 1);
            x = x.sub_(mean).mul_(scale);
        }
        return x.MoveToOuterDisposeScope();
    }
}
