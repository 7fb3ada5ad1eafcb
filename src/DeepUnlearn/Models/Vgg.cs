using System;
using System.Collections.Generic;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// VGG with batch normalisation (Simonyan and Zisserman, "Very deep convolutional networks for large-scale
/// image recognition", ICLR 2015) with torchvision's module names and initialisation: <c>features.N</c>
/// (conv3×3 with bias, BN, ReLU, max-pool entries numbered as torchvision's <c>make_layers</c>) and
/// <c>classifier</c>. <see cref="ModelStem.ImageNet"/> is torchvision's vgg*_bn: five max-pools, a 7×7
/// adaptive average pool, <c>classifier.0/3/6</c> = Linear(25088, 4096)-ReLU-Dropout-Linear(4096, 4096)-
/// ReLU-Dropout-Linear(4096, K), head <c>classifier.6</c>. <see cref="ModelStem.Cifar"/> is the SalUn /
/// Unlearn-Sparse CIFAR variant (<c>vgg16_bn_lth</c>): the same features without the last max-pool, a 1×1
/// adaptive average pool and <c>classifier</c> = Linear(512, K). Convolutions are kaiming_normal(fan_out,
/// relu) with zero bias, batch norms 1 / 0, linear layers N(0, 0.01²) with zero bias.
/// </summary>
public sealed class Vgg : ClassifierModel
{
    /// <summary>Configuration "A" (VGG-11): channels, with 0 for a 2×2 max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigA = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0];

    /// <summary>Configuration "D" (VGG-16): channels, with 0 for a 2×2 max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigD = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    [ComponentName(Name = "features")]
    private readonly Sequential _features;
    [ComponentName(Name = "classifier")]
    private readonly nn.Module<Tensor, Tensor> _classifier;

    /// <summary>Creates a VGG-BN network.</summary>
    /// <param name="config">Channels per convolution, 0 for a max-pool (<see cref="ConfigA"/>, <see cref="ConfigD"/>).</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="stem">Layout: torchvision's ImageNet one, or the SalUn CIFAR one (which drops a final max-pool).</param>
    public Vgg(IReadOnlyList<int> config, int inChannels, int numClasses, ModelStem stem)
        : base(nameof(Vgg))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        Stem = stem;
        int count = config.Count;
        if (stem == ModelStem.Cifar && count > 0 && config[count - 1] == 0)
        {
            count--;
        }
        var features = nn.Sequential();
        long channels = inChannels;
        for (int i = 0; i < count; i++)
        {
            int v = config[i];
            if (v == 0)
            {
                features.append(nn.MaxPool2d(2, 2));
                continue;
            }
            ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(config));
            features.append(nn.Conv2d(channels, v, 3, padding: 1));
            features.append(nn.BatchNorm2d(v));
            features.append(nn.ReLU());
            channels = v;
        }
        _features = features;
        // The head is reached through _classifier only: a second Module field would be registered again under its
        // field name by RegisterComponents (a duplicate "_head.weight" in the state dict).
        _classifier = stem == ModelStem.ImageNet
            ? nn.Sequential(
                nn.Linear(channels * 7 * 7, 4096),
                nn.ReLU(),
                nn.Dropout(0.5),
                nn.Linear(4096, 4096),
                nn.ReLU(),
                nn.Dropout(0.5),
                nn.Linear(4096, numClasses))
            : nn.Linear(channels, numClasses);
        RegisterComponents();
    }

    /// <summary>VGG-11 with batch norm; 132,868,840 parameters in the ImageNet layout with 1000 classes.</summary>
    public static Vgg Vgg11Bn(int inChannels, int numClasses, ModelStem stem) =>
        new(ConfigA, inChannels, numClasses, stem);

    /// <summary>VGG-16 with batch norm; 138,365,992 parameters in the ImageNet layout with 1000 classes.</summary>
    public static Vgg Vgg16Bn(int inChannels, int numClasses, ModelStem stem) =>
        new(ConfigD, inChannels, numClasses, stem);

    /// <summary>The layout.</summary>
    public ModelStem Stem { get; }

    /// <inheritdoc />
    public override Linear Head => _classifier is Sequential classifier ? (Linear)classifier[classifier.Count - 1] : (Linear)_classifier;

    /// <inheritdoc />
    public override string HeadName => Stem == ModelStem.ImageNet ? "classifier.6" : "classifier";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = RunSequential(_features, input);
        long pool = Stem == ModelStem.ImageNet ? 7 : 1;
        using (Tensor maps = x)
        using (Tensor pooled = nn.functional.adaptive_avg_pool2d(maps, pool))
        {
            x = pooled.flatten(1);
        }
        if (_classifier is not Sequential classifier)
        {
            return x;
        }
        // classifier.0..5: the two hidden layers; classifier.6 is the head.
        for (int i = 0; i < classifier.Count - 1; i++)
        {
            x = Then(x, (nn.Module<Tensor, Tensor>)classifier[i]);
        }
        return x;
    }
}
