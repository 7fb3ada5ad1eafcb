using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data.Transforms;

public class TransformTests
{
    private static FloatImage Image(int channels, int height, int width, Func<int, int, int, float> value)
    {
        var image = new FloatImage(channels, height, width);
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    image[c, y, x] = value(c, y, x);
                }
            }
        }
        return image;
    }

    private static FloatImage Numbered(int channels, int height, int width) =>
        Image(channels, height, width, (c, y, x) => (100 * c) + (10 * y) + x);

    [Fact]
    public void Flip_MirrorsEveryRow()
    {
        FloatImage image = Numbered(2, 2, 3);
        RandomHorizontalFlip.Flip(image);
        Assert.Equal([2f, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110], image.Pixels.ToArray());
    }

    [Fact]
    public void RandomHorizontalFlip_ProbabilityOneAlwaysFlips_ZeroNever_HalfSometimes()
    {
        var context = new TransformContext(seed: 5);
        FloatImage image = Numbered(1, 1, 3);
        Assert.Equal([2f, 1, 0], context.Run(new RandomHorizontalFlip(1), image).Pixels.ToArray());
        Assert.Equal([0f, 1, 2], context.Run(new RandomHorizontalFlip(0), image).Pixels.ToArray());
        int flipped = Enumerable.Range(0, 1000).Count(id => context.Run(new RandomHorizontalFlip(), image, 0, id)[0, 0, 0] == 2f);
        Assert.InRange(flipped, 430, 570);
    }

    [Fact]
    public void Crop_AtKnownOffsets_ZeroPadsOutside()
    {
        FloatImage image = Numbered(1, 3, 3);
        var output = new FloatImage();
        ImageOps.Crop(image, output, -1, -2, 3, 4);
        Assert.Equal((1, 3, 4), (output.Channels, output.Height, output.Width));
        Assert.Equal(
            [0f, 0, 0, 0,
             0, 0, 0, 1,
             0, 0, 10, 11],
            output.Pixels.ToArray());
        ImageOps.Crop(image, output, 1, 1, 2, 2);
        Assert.Equal([11f, 12, 21, 22], output.Pixels.ToArray());
    }

    [Fact]
    public void RandomCrop_SizeOfPaddedImage_IsThePaddedImage()
    {
        FloatImage image = Numbered(1, 2, 2);
        FloatImage result = new TransformContext().Run(new RandomCrop(4, padding: 1), image);
        Assert.Equal(
            [0f, 0, 0, 0,
             0, 0, 1, 0,
             0, 10, 11, 0,
             0, 0, 0, 0],
            result.Pixels.ToArray());
    }

    [Fact]
    public void RandomCrop_Cifar_IsAWindowOfThePaddedImage_AndEveryOffsetOccurs()
    {
        FloatImage image = Image(3, 32, 32, (c, y, x) => 1 + (c * 2000) + (y * 40) + x);
        var crop = new RandomCrop(32, padding: 4);
        var context = new TransformContext(seed: 11);
        var seen = new HashSet<(int, int)>();
        for (int id = 0; id < 400; id++)
        {
            FloatImage result = context.Run(crop, image, epoch: 0, sampleId: id);
            Assert.Equal((3, 32, 32), (result.Channels, result.Height, result.Width));
            // Find the offset: the first non-padding pixel tells it; then every pixel must agree.
            var offsets = new List<(int, int)>();
            for (int i = 0; i <= 8; i++)
            {
                for (int j = 0; j <= 8; j++)
                {
                    bool match = true;
                    for (int c = 0; c < 3 && match; c++)
                    {
                        for (int y = 0; y < 32 && match; y++)
                        {
                            for (int x = 0; x < 32 && match; x++)
                            {
                                int sy = y + i - 4, sx = x + j - 4;
                                float expected = sy is >= 0 and < 32 && sx is >= 0 and < 32 ? image[c, sy, sx] : 0f;
                                match = result[c, y, x] == expected;
                            }
                        }
                    }
                    if (match)
                    {
                        offsets.Add((i, j));
                    }
                }
            }
            Assert.Single(offsets);
            seen.Add(offsets[0]);
        }
        Assert.True(seen.Count > 70, $"only {seen.Count} of 81 offsets seen in 400 draws");
    }

    [Fact]
    public void Normalize_SubtractsMeanAndDividesByStdPerChannel()
    {
        FloatImage image = Image(2, 1, 2, (c, y, x) => c == 0 ? 0.5f + x : 0.25f);
        var normalize = new Normalize(new ChannelStatistics([0.5f, 0.75f], [0.25f, 2f]));
        FloatImage result = new TransformContext().Run(normalize, image);
        Assert.Equal([0f, 4f, -0.25f, -0.25f], result.Pixels.ToArray());
    }

    [Fact]
    public void Normalize_WrongChannelCount_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new TransformContext().Run(new Normalize(ChannelStatistics.Cifar10), Numbered(1, 2, 2)));
        Assert.Contains("3 channel(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presets_CarryTheDatasetStatistics()
    {
        Assert.Equal([0.4914f, 0.4822f, 0.4465f], ChannelStatistics.Cifar10.Mean);
        Assert.Equal([0.2470f, 0.2435f, 0.2616f], ChannelStatistics.Cifar10.Std);
        Assert.Equal([0.5071f, 0.4865f, 0.4409f], ChannelStatistics.Cifar100.Mean);
        Assert.Equal([0.2673f, 0.2564f, 0.2762f], ChannelStatistics.Cifar100.Std);
        Assert.Equal([0.2860f], ChannelStatistics.FashionMnist.Mean);
        Assert.Equal([0.3530f], ChannelStatistics.FashionMnist.Std);
        Assert.Equal([0.485f, 0.456f, 0.406f], ChannelStatistics.ImageNet.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], ChannelStatistics.ImageNet.Std);
    }

    [Theory]
    [InlineData(7, 5, 3, 4)]
    [InlineData(40, 30, 7, 9)]
    [InlineData(3, 3, 17, 11)]
    public void Resize_ConstantImage_StaysConstant(int height, int width, int toHeight, int toWidth)
    {
        FloatImage image = Image(3, height, width, (c, _, _) => 0.1f + (0.3f * c));
        FloatImage result = new TransformContext().Run(new Resize(toHeight, toWidth), image);
        Assert.Equal((3, toHeight, toWidth), (result.Channels, result.Height, result.Width));
        for (int c = 0; c < 3; c++)
        {
            Assert.All(result.Plane(c).ToArray(), v => Assert.Equal(0.1f + (0.3f * c), v, 5));
        }
    }

    private static FloatImage GoldenInput() => Image(1, 5, 7, (_, y, x) => ((((y * 7) + x) * 37) % 23) / 23f);

    [Fact]
    public void Resize_Down_MatchesPyTorchAntialiasedBilinear()
    {
        // golden_resize.py: F.interpolate(x, (2, 3), mode="bilinear", antialias=True)
        float[] expected = [0.4416995942592621f, 0.4746570885181427f, 0.4984472393989563f, 0.41149061918258667f, 0.48570096492767334f, 0.49421226978302f];
        float[] actual = new TransformContext().Run(new Resize(2, 3), GoldenInput()).Pixels.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void Resize_Up_MatchesPyTorchBilinear()
    {
        // golden_resize.py: F.interpolate(x, (8, 9), mode="bilinear", antialias=True), first two rows and last row.
        float[] firstRows =
        [
            0.0f, 0.4057971239089966f, 0.43478259444236755f, 0.3526570498943329f, 0.8260869383811951f, 0.52173912525177f, 0.21739119291305542f, 0.2463769167661667f, 0.6521739363670349f,
            0.11413043737411499f, 0.5199275612831116f, 0.5489130616188049f, 0.3695652186870575f, 0.5027173757553101f, 0.5386472940444946f, 0.3315216302871704f, 0.36050736904144287f, 0.7663043737411499f,
        ];
        float[] lastRow = [0.043478261679410934f, 0.4492754340171814f, 0.47826090455055237f, 0.3961353302001953f, 0.8695651888847351f, 0.5652174353599548f, 0.26086947321891785f, 0.2898551821708679f, 0.695652186870575f];
        FloatImage result = new TransformContext().Run(new Resize(8, 9), GoldenInput());
        float[] actual = result.Pixels.ToArray();
        for (int i = 0; i < firstRows.Length; i++)
        {
            Assert.Equal(firstRows[i], actual[i], 5);
        }
        for (int i = 0; i < lastRow.Length; i++)
        {
            Assert.Equal(lastRow[i], actual[(7 * 9) + i], 5);
        }
    }

    [Theory]
    [InlineData(300, 400, 256, 256, 341)]
    [InlineData(500, 375, 256, 341, 256)]
    [InlineData(10, 10, 5, 5, 5)]
    public void Resize_ShorterSide_KeepsAspectRatioTruncated(int height, int width, int size, int expectedHeight, int expectedWidth)
    {
        Assert.Equal((expectedHeight, expectedWidth), new Resize(size).OutputSize(height, width));
    }

    [Fact]
    public void CenterCrop_TakesTheCentre_RoundingHalfToEven()
    {
        FloatImage image = Numbered(1, 5, 5);
        FloatImage three = new TransformContext().Run(new CenterCrop(3), image);
        Assert.Equal([11f, 12, 13, 21, 22, 23, 31, 32, 33], three.Pixels.ToArray());
        // (5 - 2) / 2 = 1.5 rounds to 2, as Python's round.
        FloatImage two = new TransformContext().Run(new CenterCrop(2), image);
        Assert.Equal([22f, 23, 32, 33], two.Pixels.ToArray());
        Assert.Equal(2, CenterCrop.Offset(7, 2)); // 2.5 -> 2
        Assert.Equal(4, CenterCrop.Offset(9, 2)); // 3.5 -> 4
    }

    [Fact]
    public void CenterCrop_LargerThanImage_ZeroPads()
    {
        FloatImage image = Numbered(1, 2, 2);
        FloatImage result = new TransformContext().Run(new CenterCrop(3, 4), image);
        // torchvision pads left/top by (4-2)//2 = 1 and (3-2)//2 = 0, the odd pixel at the bottom.
        Assert.Equal(
            [0f, 0, 1, 0,
             0, 10, 11, 0,
             0, 0, 0, 0],
            result.Pixels.ToArray());
    }

    [Fact]
    public void RandomResizedCrop_WindowsFitAndAreaFractionsSpanTheScale()
    {
        var crop = new RandomResizedCrop(8);
        var random = new DeterministicRandom(3);
        double minFraction = 1, maxFraction = 0;
        for (int i = 0; i < 500; i++)
        {
            var (top, left, h, w) = crop.SampleWindow(60, 80, random);
            Assert.InRange(top, 0, 60 - h);
            Assert.InRange(left, 0, 80 - w);
            Assert.InRange(h, 1, 60);
            Assert.InRange(w, 1, 80);
            double fraction = (double)h * w / (60 * 80);
            minFraction = Math.Min(minFraction, fraction);
            maxFraction = Math.Max(maxFraction, fraction);
            Assert.InRange((double)w / h, 0.7, 1.42); // ratio (3/4, 4/3) up to rounding
        }
        Assert.InRange(minFraction, 0.07, 0.15);
        Assert.InRange(maxFraction, 0.8, 1.0);
        FloatImage result = new TransformContext().Run(crop, Image(3, 60, 80, (c, y, x) => c + y + x));
        Assert.Equal((3, 8, 8), (result.Channels, result.Height, result.Width));
    }

    [Fact]
    public void RandomResizedCrop_NoWindowFits_FallsBackToCentreCropWithClampedRatio()
    {
        // Area fraction 1 with ratio exactly 2 never fits a square image: centre crop, w = 40, h = round(40 / 2).
        var crop = new RandomResizedCrop(4, 4, 1.0, 1.0, 2.0, 2.0);
        Assert.Equal((10, 0, 20, 40), crop.SampleWindow(40, 40, new DeterministicRandom(1)));
        // An image wider than the ratio range: full height, w = round(30 × 0.5), centred.
        var narrow = new RandomResizedCrop(4, 4, 1.0, 1.0, 0.5, 0.5);
        Assert.Equal((0, 12, 30, 15), narrow.SampleWindow(30, 40, new DeterministicRandom(1)));
    }

    [Fact]
    public void Pipeline_SameSeedEpochAndId_SameResult_OtherEpochDiffers()
    {
        IImageTransform pipeline = TransformPresets.CifarTrain(ChannelStatistics.Cifar10);
        FloatImage image = Image(3, 32, 32, (c, y, x) => ((c * 7) + (y * 3) + x) % 17 / 17f);
        float[] a = new TransformContext(9).Run(pipeline, image, epoch: 2, sampleId: 40).Pixels.ToArray();
        float[] b = new TransformContext(9).Run(pipeline, image, epoch: 2, sampleId: 40).Pixels.ToArray();
        Assert.Equal(a, b);
        int differing = Enumerable.Range(3, 5).Count(e => !new TransformContext(9).Run(pipeline, image, e, 40).Pixels.ToArray().SequenceEqual(a));
        Assert.True(differing >= 4);
        Assert.Equal("Compose(RandomCrop(32x32, padding=4), RandomHorizontalFlip(p=0.5), Normalize(mean=(0.4914, 0.4822, 0.4465) std=(0.247, 0.2435, 0.2616)))", pipeline.ToString());
    }

    [Fact]
    public void Presets_ChooseByDatasetShape()
    {
        InMemoryVisionDataset colour = DataFiles.Synthetic(4, channels: 3, height: 32, width: 32);
        Assert.StartsWith("Compose(RandomCrop(32x32, padding=4), RandomHorizontalFlip", TransformPresets.Train(colour).ToString(), StringComparison.Ordinal);
        InMemoryVisionDataset gray = DataFiles.Synthetic(4, channels: 1, height: 28, width: 28);
        Assert.StartsWith("Compose(Normalize(", TransformPresets.Train(gray).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("Compose(Resize(256), CenterCrop(224x224)", TransformPresets.ImageNetEval(224).ToString(), StringComparison.Ordinal);
    }
}
