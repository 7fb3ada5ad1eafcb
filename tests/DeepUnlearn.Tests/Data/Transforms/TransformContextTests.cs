using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data.Transforms;

public class TransformContextTests
{
    public static TheoryData<string, int, int> Pipelines => new()
    {
        { "train", 300, 451 }, // RandomResizedCrop reads its window from the bytes
        { "train", 20, 17 }, // windows smaller than the output: upsampling
        { "eval", 256, 341 }, // Resize(256) is a no-op (a packed store's short side): CenterCrop reads the bytes
        { "eval", 375, 500 }, // Resize from the bytes, CenterCrop from the floats
        { "crop", 200, 180 }, // CenterCrop alone, inside the image
        { "crop", 200, 100 }, // CenterCrop wider than the image: zero padding from the floats
        { "cifar", 32, 32 }, // RandomCrop: no byte path, converts first
        { "resize", 41, 29 }, // Resize to an exact size from the bytes
    };

    private static IImageTransform Pipeline(string name) => name switch
    {
        "train" => TransformPresets.ImageNetTrain(64),
        "eval" => TransformPresets.ImageNetEval(224),
        "crop" => new CenterCrop(150, 120),
        "cifar" => TransformPresets.CifarTrain(ChannelStatistics.Cifar10),
        "resize" => new Resize(19, 33),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void SetSource_ThenPipeline_EqualsConvertingTheBytesFirstBitForBit(string pipeline, int height, int width)
    {
        IImageTransform transform = Pipeline(pipeline);
        ImageBuffer bytes = ResamplingTests.RandomBytes(3, height, width, seed: (ulong)(height + width));
        var floats = new FloatImage();
        floats.LoadFrom(bytes);
        var fromBytes = new TransformContext(seed: 21);
        var fromFloats = new TransformContext(seed: 21);
        for (int id = 0; id < 6; id++)
        {
            fromBytes.BeginSample(epoch: 1, id);
            fromBytes.SetSource(bytes);
            transform.Apply(fromBytes);
            FloatImage actual = fromBytes.Image;
            FloatImage expected = fromFloats.Run(transform, floats, epoch: 1, sampleId: id);
            Assert.Equal((expected.Channels, expected.Height, expected.Width), (actual.Channels, actual.Height, actual.Width));
            Assert.Equal(expected.Pixels.ToArray().Select(BitConverter.SingleToInt32Bits), actual.Pixels.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Image_WithASourcePending_IsTheBytesOver255_AndLeavesNothingPending()
    {
        var bytes = new ImageBuffer();
        bytes.Resize(1, 1, 4);
        bytes.Pixels[0] = 0;
        bytes.Pixels[1] = 1;
        bytes.Pixels[2] = 128;
        bytes.Pixels[3] = 255;
        var context = new TransformContext();
        context.BeginSample(0, 0);
        context.SetSource(bytes);
        Assert.True(context.TryPeekSource(out _));
        Assert.Equal([0f, 1f / 255f, 128f / 255f, 1f], context.Image.Pixels.ToArray());
        Assert.False(context.TryPeekSource(out _));
        Assert.False(context.TryTakeSource(out _));
    }

    [Fact]
    public void BeginSample_DropsAPendingSourceOfThePreviousSample()
    {
        var context = new TransformContext();
        context.BeginSample(0, 0);
        context.SetSource(ResamplingTests.RandomBytes(1, 2, 2, seed: 3));
        context.BeginSample(0, 1);
        Assert.False(context.TryPeekSource(out _));
    }

    [Fact]
    public void SwapBuffers_WithTheSourceStillPending_ThrowsSayingWhatToDo()
    {
        var context = new TransformContext();
        context.BeginSample(0, 0);
        context.SetSource(ResamplingTests.RandomBytes(1, 2, 2, seed: 3));
        var e = Assert.Throws<InvalidOperationException>(context.SwapBuffers);
        Assert.Contains("TryTakeSource", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resize_ToTheSourceSize_LeavesTheBytesPending()
    {
        var context = new TransformContext();
        context.BeginSample(0, 0);
        ImageBuffer bytes = ResamplingTests.RandomBytes(3, 256, 300, seed: 5);
        context.SetSource(bytes);
        new Resize(256).Apply(context);
        Assert.True(context.TryPeekSource(out ImageBuffer pending));
        Assert.Same(bytes, pending);
    }

    [Fact]
    public void Presets_ImageNetEvalFromAPackedSizedImage_IsTheCentreOfTheBytes()
    {
        // Resize(256) keeps a 256-short-side image; CenterCrop(224) then takes rows/columns 16.. (256 − 224) / 2.
        ImageBuffer bytes = ResamplingTests.RandomBytes(3, 256, 260, seed: 6);
        var context = new TransformContext();
        context.BeginSample(0, 0);
        context.SetSource(bytes);
        new Compose(new Resize(256), new CenterCrop(224)).Apply(context);
        FloatImage image = context.Image;
        var expected = new List<float>();
        for (int c = 0; c < 3; c++)
        {
            for (int y = 16; y < 240; y++)
            {
                for (int x = 18; x < 242; x++)
                {
                    expected.Add(bytes.Pixels[(((c * 256) + y) * 260) + x] / 255f);
                }
            }
        }
        Assert.Equal(expected, image.Pixels.ToArray());
    }
}
