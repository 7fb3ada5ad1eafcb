using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Data.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Data;

// The loader's fast paths against the pipeline run transform by transform (the reference): the fused
// RandomResizedCrop → flip → normalise, and the device finish (uint8 batch, then x / 255, flip, normalise as tensor ops).
public partial class DataLoaderTests
{
    // Output 36 × 36: four 8-wide blocks of the AVX2 horizontal pass and a scalar tail of 4, in both passes.
    private const int CropSize = 36;

    private static readonly (int Height, int Width)[] s_sizes = [(40, 53), (57, 38), (36, 36), (90, 70), (21, 64), (48, 48)];

    private static List<float[]> Images(DataLoader loader, int epochs)
    {
        var images = new List<float[]>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (Batch batch in loader.Epoch(epoch))
            {
                Assert.Equal(ScalarType.Float32, batch.Images.dtype);
                images.Add(batch.Images.data<float>().ToArray());
            }
        }
        return images;
    }

    private static void AssertBitForBit(List<float[]> expected, List<float[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int b = 0; b < expected.Count; b++)
        {
            Assert.Equal(expected[b].Length, actual[b].Length);
            int differing = expected[b].Zip(actual[b]).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
            Assert.True(differing == 0, $"batch {b}: {differing} of {expected[b].Length} values differ");
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    public void Epoch_FusedImageNetTraining_EqualsTheTransformsOneByOne_BitForBit(bool packed, int workers)
    {
        using var temp = new TempDirectory();
        using var store = packed ? PackedVaryingImages(temp) : null;
        IVisionDataset data = store is null ? VaryingImages() : store;
        IImageTransform pipeline = TransformPresets.ImageNetTrain(CropSize, ChannelStatistics.ImageNet);
        var options = new DataLoaderOptions { BatchSize = 5, Seed = 11, Workers = workers };
        using var fused = new DataLoader(data, options, pipeline);
        using var reference = new DataLoader(data, options with { FuseTransforms = false }, pipeline);
        Assert.True(fused.IsFused);
        Assert.False(reference.IsFused);
        Assert.Equal(AugmentationPlacement.Host, fused.Placement);
        AssertBitForBit(Images(reference, 2), Images(fused, 2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Epoch_DeviceFinishOnTheCpu_IsTheHostFinishOfTheSameRoundedCrops_BitForBit(bool fuse)
    {
        using var temp = new TempDirectory();
        using PackedDataset store = PackedVaryingImages(temp);
        var pipeline = (Compose)TransformPresets.ImageNetTrain(CropSize, ChannelStatistics.ImageNet);
        const ulong Seed = 5;
        using var loader = new DataLoader(store, new DataLoaderOptions { BatchSize = 4, Seed = Seed, Workers = 2, Augmentation = AugmentationPlacement.Device, FuseTransforms = fuse }, pipeline);
        Assert.Equal(AugmentationPlacement.Device, loader.Placement);

        // The host's own steps on the crop rounded to uint8 as a packed store rounds: x / 255, flip, normalise.
        var context = new TransformContext(Seed);
        var bytes = new ImageBuffer();
        var rounded = new ImageBuffer();
        var expected = new List<float[]>();
        foreach (int[] ids in loader.EpochBatchIds(1))
        {
            var batch = new List<float>();
            foreach (int id in ids)
            {
                context.BeginSample(1, id);
                store.Read(id, bytes);
                context.SetSource(bytes);
                pipeline.Transforms[0].Apply(context);
                FloatImage crop = context.Image;
                rounded.Resize(crop.Channels, crop.Height, crop.Width);
                PackedStore.Quantize(crop.Pixels, rounded.Pixels);
                context.Image.LoadFrom(rounded);
                pipeline.Transforms[1].Apply(context);
                pipeline.Transforms[2].Apply(context);
                batch.AddRange(context.Image.Pixels.ToArray());
            }
            expected.Add([.. batch]);
        }
        var actual = new List<float[]>();
        foreach (Batch batch in loader.Epoch(1))
        {
            actual.Add(batch.Images.data<float>().ToArray());
        }
        AssertBitForBit(expected, actual);
    }

    [Fact]
    public void Epoch_DeviceFinish_DiffersFromTheFloatHostBatchByAtMostHalfAGreyLevel()
    {
        using var temp = new TempDirectory();
        using PackedDataset store = PackedVaryingImages(temp);
        IImageTransform pipeline = TransformPresets.ImageNetTrain(CropSize, ChannelStatistics.ImageNet);
        var options = new DataLoaderOptions { BatchSize = 6, Seed = 3, Workers = 2 };
        using var host = new DataLoader(store, options with { Augmentation = AugmentationPlacement.Host }, pipeline);
        using var device = new DataLoader(store, options with { Augmentation = AugmentationPlacement.Device }, pipeline);
        List<float[]> a = Images(host, 1), b = Images(device, 1);
        int plane = CropSize * CropSize;
        double largest = 0;
        for (int batch = 0; batch < a.Count; batch++)
        {
            for (int i = 0; i < a[batch].Length; i++)
            {
                int channel = i / plane % 3;
                // Rounding moves a pixel by at most half a grey level before normalisation, 0.5 / 255 / std after it.
                double bound = (0.5 / 255 / ChannelStatistics.ImageNet.Std[channel]) + 1e-5;
                double difference = Math.Abs(a[batch][i] - b[batch][i]);
                Assert.True(difference <= bound, $"batch {batch} value {i}: host {a[batch][i]}, device {b[batch][i]}");
                largest = Math.Max(largest, difference * ChannelStatistics.ImageNet.Std[channel] * 255);
            }
        }
        // The rounding did happen (the device path ran): some value moved by a good part of half a level.
        Assert.True(largest > 0.25, $"largest difference {largest} grey levels");
    }

    [Fact]
    public void Epoch_DeviceFinishOfTheCifarRecipe_EqualsTheHostBatch_BitForBit()
    {
        // Crops and zero padding move no pixel off the uint8 grid, so rounding is exact and so is the whole batch.
        InMemoryVisionDataset data = DataFiles.Synthetic(30, channels: 3, height: 12, width: 12);
        IImageTransform pipeline = TransformPresets.CifarTrain(data.Normalization, 12, 12, 2);
        var options = new DataLoaderOptions { BatchSize = 7, Seed = 9, Workers = 2 };
        using var host = new DataLoader(data, options with { Augmentation = AugmentationPlacement.Host }, pipeline);
        using var device = new DataLoader(data, options with { Augmentation = AugmentationPlacement.Device }, pipeline);
        Assert.Equal(AugmentationPlacement.Device, device.Placement);
        AssertBitForBit(Images(host, 2), Images(device, 2));
    }

    [Fact]
    public void Constructor_DeviceFinishWithANormalisationBeforeTheEnd_ThrowsSayingWhy_AutoOnTheCpuIsHost()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(8, channels: 3, height: 12, width: 12);
        var early = new Compose(new Normalize(data.Normalization), new RandomCrop(12, 12, 2));
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(data, new DataLoaderOptions { Augmentation = AugmentationPlacement.Device }, early));
        Assert.Contains("normalisation comes last", e.Message, StringComparison.Ordinal);
        using var auto = new DataLoader(data, new DataLoaderOptions(), TransformPresets.CifarTrain(data.Normalization, 12, 12, 2));
        Assert.Equal(AugmentationPlacement.Host, auto.Placement);
    }

    [Fact]
    public void ResolvePlacement_Auto_IsTheDeviceForCuda_TheHostForTheCpuOrAnEarlyNormalisation()
    {
        IImageTransform preset = TransformPresets.ImageNetTrain(CropSize);
        var early = new Compose(new Normalize(ChannelStatistics.ImageNet), new RandomHorizontalFlip());
        Assert.Equal(AugmentationPlacement.Device, DataLoader.ResolvePlacement(AugmentationPlacement.Auto, new Device(DeviceType.CUDA, 0), preset));
        Assert.Equal(AugmentationPlacement.Host, DataLoader.ResolvePlacement(AugmentationPlacement.Auto, new Device(DeviceType.CUDA, 0), early));
        Assert.Equal(AugmentationPlacement.Host, DataLoader.ResolvePlacement(AugmentationPlacement.Auto, torch.CPU, preset));
        Assert.Equal(AugmentationPlacement.Host, DataLoader.ResolvePlacement(AugmentationPlacement.Host, new Device(DeviceType.CUDA, 0), preset));
        Assert.Equal(AugmentationPlacement.Device, DataLoader.ResolvePlacement(AugmentationPlacement.Device, torch.CPU, null));
    }

    private static PackedDataset PackedVaryingImages(TempDirectory temp)
    {
        string path = temp.Combine("varying" + PackedDataset.Extension);
        PackedStore.Pack(VaryingImages(), path, new PackOptions { ShortSide = 40, Workers = 1 });
        return PackedDataset.Open(path);
    }

    // 18 RGB images of six sizes (larger and smaller than the crop), random pixels, three classes.
    private static VaryingImageSet VaryingImages() => new(18);

    private sealed class VaryingImageSet(int count) : IVisionDataset
    {
        private readonly int[] _labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();

        public string Name => "varying";

        public int Count => count;

        public IReadOnlyList<string> ClassNames { get; } = ["a", "b", "c"];

        public int NumClasses => 3;

        public int Channels => 3;

        public int Height => 0;

        public int Width => 0;

        public ChannelStatistics Normalization => ChannelStatistics.ImageNet;

        public ReadOnlyMemory<int> Labels => _labels;

        public int Label(int id) => _labels[id];

        public void Read(int id, ImageBuffer destination)
        {
            var (height, width) = s_sizes[id % s_sizes.Length];
            destination.Resize(3, height, width);
            var random = new DeterministicRandom((ulong)id + 100);
            for (int i = 0; i < destination.Length; i++)
            {
                destination.Pixels[i] = (byte)random.NextInt(256);
            }
        }
    }
}
