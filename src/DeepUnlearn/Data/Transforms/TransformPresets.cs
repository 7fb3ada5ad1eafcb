using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// The standard pipelines of the unlearning benchmarks (SalUn / Unlearn-Sparse, torchvision's ImageNet
/// reference), each ending with the dataset's normalisation.
/// </summary>
public static class TransformPresets
{
    /// <summary>
    /// Training augmentation for <paramref name="dataset"/>: CIFAR-style (random crop with padding of
    /// size/8, horizontal flip) for fixed-size colour images, normalisation only for fixed-size gray
    /// images (digits and clothes are not mirror-symmetric classes), and ImageNet-style
    /// (random resized crop to <paramref name="imageSize"/>, flip) for folders of varying sizes.
    /// </summary>
    public static IImageTransform Train(IVisionDataset dataset, int imageSize = 224)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Height == 0)
        {
            return ImageNetTrain(imageSize, dataset.Normalization);
        }
        return dataset.Channels == 3
            ? CifarTrain(dataset.Normalization, dataset.Height, dataset.Width, Math.Max(dataset.Height / 8, 1))
            : new Compose(new Normalize(dataset.Normalization));
    }

    /// <summary>
    /// Evaluation pipeline for <paramref name="dataset"/>: normalisation for fixed-size images;
    /// resize to imageSize·256/224 and centre crop to <paramref name="imageSize"/> for folders.
    /// </summary>
    public static IImageTransform Eval(IVisionDataset dataset, int imageSize = 224)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Height == 0
            ? ImageNetEval(imageSize, dataset.Normalization)
            : new Compose(new Normalize(dataset.Normalization));
    }

    /// <summary><c>RandomCrop(size, padding)</c>, <c>RandomHorizontalFlip()</c>, <c>Normalize</c>: the CIFAR recipe.</summary>
    public static IImageTransform CifarTrain(ChannelStatistics statistics, int height = 32, int width = 32, int padding = 4) =>
        new Compose(new RandomCrop(height, width, padding), new RandomHorizontalFlip(), new Normalize(statistics));

    /// <summary><c>RandomResizedCrop(size)</c>, <c>RandomHorizontalFlip()</c>, <c>Normalize</c>: the ImageNet training recipe.</summary>
    public static IImageTransform ImageNetTrain(int size, ChannelStatistics? statistics = null) =>
        new Compose(new RandomResizedCrop(size), new RandomHorizontalFlip(), new Normalize(statistics ?? ChannelStatistics.ImageNet));

    /// <summary><c>Resize(size·256/224)</c>, <c>CenterCrop(size)</c>, <c>Normalize</c>: the ImageNet evaluation recipe (256 → 224).</summary>
    public static IImageTransform ImageNetEval(int size, ChannelStatistics? statistics = null) =>
        new Compose(new Resize((int)Math.Round(size * 256.0 / 224.0)), new CenterCrop(size), new Normalize(statistics ?? ChannelStatistics.ImageNet));
}
