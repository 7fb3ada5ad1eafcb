namespace DeepUnlearn.Models;

/// <summary>What <see cref="ModelRegistry.Create(string, ModelOptions)"/> builds a model for.</summary>
public sealed record ModelOptions
{
    /// <summary>Images up to this many pixels a side get <see cref="ModelStem.Cifar"/> unless <see cref="Stem"/> says otherwise.</summary>
    public const int CifarStemMaxImageSize = 64;

    /// <summary>Number of classes K (the width of the head).</summary>
    public int NumClasses { get; init; } = 10;

    /// <summary>Input channels: 1 for Fashion-MNIST, 3 for CIFAR and ImageNet.</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Input height and width in pixels (28 for Fashion-MNIST, 32 for CIFAR, 224 for ImageNet).</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>The stem; null picks <see cref="ModelStem.Cifar"/> for images of at most
    /// <see cref="CifarStemMaxImageSize"/> pixels and <see cref="ModelStem.ImageNet"/> above.</summary>
    public ModelStem? Stem { get; init; }

    /// <summary>Seed of the initialisation (every parameter and buffer is drawn from one generator seeded with it, in
    /// state-dict name order); a fresh random seed when null.</summary>
    public ulong? Seed { get; init; }


    /// <summary>The stem these options resolve to.</summary>
    public ModelStem ResolvedStem => Stem ?? (ImageSize <= CifarStemMaxImageSize ? ModelStem.Cifar : ModelStem.ImageNet);
}
