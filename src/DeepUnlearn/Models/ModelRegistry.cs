using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Models;

/// <summary>
/// The model zoo by name (timm's <c>create_model</c> / <c>list_models</c>): one line per model. Names are
/// case-insensitive; unknown names are errors that list the valid ones.
/// </summary>
public static class ModelRegistry
{
    private delegate ClassifierModel Factory(ModelSpec spec);

    private delegate SpecDimension[] Dimensions(ModelSpec spec);

    private static readonly (ModelEntry Entry, Factory Create, InitRules Init, Dimensions Dims)[] s_models =
    [
        (new("smallcnn", "Small LeNet-style CNN: 2×(conv3×3-BN-ReLU-maxpool), fc 128, fc K; for 28×28 and 32×32 images", false),
            s => new SmallCnn(s.InChannels, s.NumClasses, s.ImageSize), InitRules.PyTorchDefault,
            s => [.. Classes("fc2", s), Channels("conv1", s), new("fc1.weight", 1, (long)SmallCnn.Width2 * (s.ImageSize / 4) * (s.ImageSize / 4), "image_size")]),
        (new("allcnn", "All-CNN-C (Springenberg et al. 2015) with BN, as in the SSD unlearning code", false),
            s => new AllCnn(s.InChannels, s.NumClasses), InitRules.PyTorchDefault, s => [.. Classes("classifier.0", s), Channels("features.0.0", s)]),
        (new("resnet18", "ResNet-18 (He et al. 2016), torchvision names; CIFAR or ImageNet stem", true),
            s => ResNet.ResNet18(s.InChannels, s.NumClasses, s.Stem!.Value), InitRules.TorchvisionConvNet(), s => [.. Classes("fc", s), Channels("conv1", s)]),
        (new("resnet34", "ResNet-34 (He et al. 2016), torchvision names; CIFAR or ImageNet stem", true),
            s => ResNet.ResNet34(s.InChannels, s.NumClasses, s.Stem!.Value), InitRules.TorchvisionConvNet(), s => [.. Classes("fc", s), Channels("conv1", s)]),
        (new("resnet50", "ResNet-50 (He et al. 2016), torchvision names; CIFAR or ImageNet stem", true),
            s => ResNet.ResNet50(s.InChannels, s.NumClasses, s.Stem!.Value), InitRules.TorchvisionConvNet(), s => [.. Classes("fc", s), Channels("conv1", s)]),
        (new("vgg11_bn", "VGG-11 with BN (Simonyan and Zisserman 2015), torchvision names; CIFAR (SalUn) or ImageNet classifier", true),
            s => Vgg.Vgg11Bn(s.InChannels, s.NumClasses, s.Stem!.Value), InitRules.TorchvisionConvNet(linearStd: 0.01), VggDimensions),
        (new("vgg16_bn", "VGG-16 with BN (Simonyan and Zisserman 2015), torchvision names; CIFAR (SalUn) or ImageNet classifier", true),
            s => Vgg.Vgg16Bn(s.InChannels, s.NumClasses, s.Stem!.Value), InitRules.TorchvisionConvNet(linearStd: 0.01), VggDimensions),
    ];

    /// <summary>Every registered model, in registration order.</summary>
    public static IReadOnlyList<ModelEntry> List() => s_models.Select(m => m.Entry).ToArray();

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => s_models.Select(m => m.Entry.Name).ToArray();

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public static bool Contains(string name) => TryFind(name) is not null;

    /// <summary>The spec that <paramref name="name"/> with <paramref name="options"/> resolves to (canonical name, stem chosen).</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid names) or invalid options.</exception>
    public static ModelSpec Resolve(string name, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        ModelEntry entry = Find(name).Entry;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NumClasses, 1, nameof(options.NumClasses));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InChannels, 1, nameof(options.InChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ImageSize, 1, nameof(options.ImageSize));
        return new ModelSpec(entry.Name, options.NumClasses, options.InChannels, options.ImageSize, entry.HasStems ? options.ResolvedStem : null, options.Seed);
    }

    /// <summary>Builds model <paramref name="name"/> on the CPU (move it with <c>to(device)</c> before making its optimizer), in training mode,
    /// with <see cref="ClassifierModel.Spec"/> set.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid names) or invalid options.</exception>
    public static ClassifierModel Create(string name, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        ModelSpec spec = Resolve(name, options);
        return Build(spec, options.Seed ?? (ulong)Random.Shared.NextInt64());
    }

    /// <summary>Rebuilds the architecture a checkpoint's <see cref="ModelSpec"/> describes (weights are the caller's to load).</summary>
    /// <exception cref="ArgumentException">Unknown name or invalid spec.</exception>
    public static ClassifierModel Create(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Create(spec.Name, spec.ToOptions());
    }

    /// <summary>
    /// Checks <paramref name="spec"/> against the shapes of the weights meant for it (a checkpoint's header), before
    /// the model is built: the spec's settings decide how much memory the model takes (a head of num_classes rows, a
    /// first convolution of in_channels), so a spec that disagrees with its weights must fail here, not after
    /// allocating what a corrupt or hostile <c>num_classes = 4,000,000</c> asks for.
    /// </summary>
    /// <param name="spec">The spec to check.</param>
    /// <param name="shapeOf">The shape of a tensor of the weights by name, null when there is no such tensor.</param>
    /// <returns>One line per disagreement (empty when the spec and the weights agree).</returns>
    /// <exception cref="ArgumentException">Unknown model name or invalid settings.</exception>
    public static IReadOnlyList<string> CheckAgainstWeights(ModelSpec spec, Func<string, IReadOnlyList<long>?> shapeOf)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(shapeOf);
        ModelSpec resolved = Resolve(spec.Name, spec.ToOptions());
        var problems = new List<string>();
        foreach (SpecDimension dim in Find(spec.Name).Dims(resolved))
        {
            IReadOnlyList<long>? shape = shapeOf(dim.Tensor);
            if (shape is null)
            {
                problems.Add($"{dim.Tensor} is missing");
            }
            else if (shape.Count <= dim.Axis || shape[dim.Axis] != dim.Size)
            {
                problems.Add($"{dim.Setting} implies {dim.Tensor} of size {dim.Size} along axis {dim.Axis}, but the weights' {dim.Tensor} is [{string.Join(", ", shape)}]");
            }
        }
        return problems;
    }

    /// <summary>The weights whose shapes <paramref name="spec"/>'s settings decide (see <see cref="SpecDimension"/>).</summary>
    internal static IReadOnlyList<SpecDimension> DimensionsOf(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Find(spec.Name).Dims(spec);
    }

    private static SpecDimension[] Classes(string head, ModelSpec spec) =>
        [new(head + ".weight", 0, spec.NumClasses, "num_classes"), new(head + ".bias", 0, spec.NumClasses, "num_classes")];

    private static SpecDimension Channels(string firstConvolution, ModelSpec spec) => new(firstConvolution + ".weight", 1, spec.InChannels, "in_channels");

    private static SpecDimension[] VggDimensions(ModelSpec spec) =>
        [.. Classes(spec.Stem == ModelStem.ImageNet ? "classifier.6" : "classifier", spec), Channels("features.0", spec)];

    private static ClassifierModel Build(ModelSpec spec, ulong seed)
    {
        TorchRuntime.EnsureInitialized();
        var (_, create, init, _) = Find(spec.Name);
        ClassifierModel model = create(spec);
        try
        {
            // One seeded pass over the state-dict names decides every weight (the layer constructors' draws from the
            // global RNG are overwritten), so the same seed builds the same model whatever else ran before.
            SeededInitializer.Initialize(model, seed, init);
            model.Spec = spec;
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static (ModelEntry Entry, Factory Create, InitRules Init, Dimensions Dims) Find(string name) =>
        TryFind(name) ?? throw new ArgumentException(
            $"unknown model '{name}'; valid models: {string.Join(", ", s_models.Select(m => m.Entry.Name))}", nameof(name));

    private static (ModelEntry Entry, Factory Create, InitRules Init, Dimensions Dims)? TryFind(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var model in s_models)
        {
            if (string.Equals(model.Entry.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return model;
            }
        }
        return null;
    }
}
