using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// An image classifier split the way unlearning methods need it: a feature extractor
/// (<see cref="Features"/>, the penultimate representation) and a final linear layer (<see cref="Head"/>,
/// registered as <see cref="HeadName"/>). <see cref="forward"/> is <c>Head(Features(x))</c>.
/// Input is [N, C, H, W]; output is logits [N, K]. It is a TorchSharp <c>Module&lt;Tensor, Tensor&gt;</c> with
/// torchvision's parameter names, so weights move to and from PyTorch unchanged; the zoo's models derive from it,
/// and any other TorchSharp classifier enters through <see cref="FromModule"/>.
/// </summary>
/// <remarks>
/// Submodules are held in fields carrying <c>[ComponentName]</c> with their torchvision name and registered by
/// <c>RegisterComponents()</c>; a module field without the attribute would be registered a second time under its C#
/// name when the model is nested in another module (TorchSharp registers fields by reflection). Run models with
/// <c>call()</c>, never <c>forward()</c>: hooks fire only through <c>call()</c>.
/// </remarks>
public abstract class ClassifierModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module; <paramref name="name"/> is TorchSharp's module name (the class name by convention).</summary>
    protected ClassifierModel(string name)
        : base(name)
    {
    }

    /// <summary>The penultimate representation [N, D] of a batch [N, C, H, W] (everything but the head).</summary>
    public abstract Tensor Features(Tensor input);

    /// <summary>The final linear layer mapping features [N, D] to logits [N, K].</summary>
    public abstract Linear Head { get; }

    /// <summary>The dotted name of <see cref="Head"/> in the state dict (<c>fc</c>, <c>classifier.6</c>, ...).</summary>
    public abstract string HeadName { get; }

    /// <summary>The width D of <see cref="Features"/>.</summary>
    public long FeatureDim => Head.in_features;

    /// <summary>The number of classes K.</summary>
    public long NumClasses => Head.out_features;

    /// <summary>How to rebuild this model (set by <see cref="ModelRegistry"/>; null for models built otherwise).</summary>
    public ModelSpec? Spec { get; internal set; }

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>The parameters that require gradients, in registration order.</summary>
    public IEnumerable<Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>The number of scalar parameters (buffers not counted), as PyTorch's <c>sum(p.numel() for p in model.parameters())</c>.</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>
    /// The parameters and persistent buffers by name, in PyTorch's order: each module's own parameters, then its own
    /// buffers, then its children's entries depth first (<c>conv1.weight</c>, <c>bn1.weight</c>, <c>bn1.bias</c>,
    /// <c>bn1.running_mean</c>, ...). TorchSharp's own <c>state_dict</c> lists every parameter of the tree before any
    /// buffer; the names and tensors are the same, only PyTorch's order is kept here, so a state dict reads as
    /// torchvision's does.
    /// </summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        destination ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        AddStateInPyTorchOrder(this, string.IsNullOrEmpty(prefix) ? string.Empty : prefix + ".", destination);
        return destination;
    }

    /// <summary>
    /// Wraps a TorchSharp classifier that is not in the zoo (e.g. TorchVision's <c>resnet18</c>) so that every
    /// unlearning method can work on it. <paramref name="create"/> builds a fresh instance of the architecture (it
    /// is called once now and again for every copy a method makes); the head is the <c>Linear</c> submodule
    /// <paramref name="headName"/>, by default the last <c>Linear</c> in registration order, and the features are its
    /// input. Parameter names stay the network's own (<c>fc.weight</c>, not <c>network.fc.weight</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The network has no such Linear head, or holds parameters outside its submodules.</exception>
    public static ClassifierModel FromModule(Func<nn.Module<Tensor, Tensor>> create, string? headName = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new ModuleClassifier(create, headName);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = Features(input);
        return Head.call(features);
    }

    /// <summary>
    /// An independent copy with the same structure, values, device, dtype and training mode (TorchSharp modules
    /// have no generic deep copy: the architecture is rebuilt and the state copied with strict checks).
    /// </summary>
    public ClassifierModel DeepCopy()
    {
        ClassifierModel copy = CreateSibling();
        try
        {
            Parameter first = parameters().First();
            copy.to(first.dtype).to(first.device);
            var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in state_dict())
            {
                state[name] = tensor;
            }
            StrictStateLoader.Load(copy, state);
            copy.train(training);
            copy.Spec = Spec;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new model of the same architecture with freshly seeded weights: what retraining starts from. A zoo model is
    /// rebuilt from its <see cref="Spec"/> with <paramref name="seed"/> (its own initialisation rules); a user's network
    /// from <see cref="FromModule"/> is rebuilt by its factory and re-drawn with PyTorch's default initialisation from
    /// <paramref name="seed"/>, so the same seed gives the same weights whatever the global generator holds.
    /// </summary>
    public ClassifierModel CreateFreshlyInitialized(ulong seed)
    {
        if (Spec is not null)
        {
            return ModelRegistry.Create(Spec with { Seed = seed });
        }
        ClassifierModel model = CreateSibling();
        try
        {
            SeededInitializer.Initialize(model, seed, InitRules.PyTorchDefault);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A freshly built model of the same architecture (weights arbitrary); <see cref="DeepCopy"/> copies the state into it.</summary>
    protected virtual ClassifierModel CreateSibling() =>
        Spec is null
            ? throw new InvalidOperationException($"{GetType().Name} has no ModelSpec to rebuild it from; build it through ModelRegistry or ClassifierModel.FromModule")
            : ModelRegistry.Create(Spec);

    /// <summary>
    /// Runs <paramref name="layers"/> in order through <c>call()</c> (so forward hooks fire), releasing each
    /// intermediate result as soon as the next layer has consumed it (autograd keeps what it needs), so a forward
    /// pass does not leave one live tensor per layer in the caller's dispose scope. Never disposes <paramref name="input"/>.
    /// </summary>
    protected internal static Tensor RunSequential(Sequential layers, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Tensor x = input;
        foreach (nn.Module<Tensor, Tensor> layer in layers.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            Tensor y = layer is Sequential inner ? RunSequential(inner, x) : layer.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y))
            {
                x.Dispose();
            }
            x = y;
        }
        return x;
    }

    private static void AddStateInPyTorchOrder(nn.Module module, string prefix, Dictionary<string, Tensor> destination)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            destination.TryAdd(prefix + name, parameter);
        }
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            destination.TryAdd(prefix + name, buffer);
        }
        foreach (var (name, child) in module.named_children())
        {
            AddStateInPyTorchOrder(child, prefix + name + ".", destination);
        }
    }

    /// <summary>Applies <paramref name="layer"/> to <paramref name="x"/> through <c>call()</c> and disposes <paramref name="x"/> (an intermediate).</summary>
    protected internal static Tensor Then(Tensor x, nn.Module<Tensor, Tensor> layer)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(layer);
        Tensor y = layer.call(x);
        if (!ReferenceEquals(x, y))
        {
            x.Dispose();
        }
        return y;
    }
}
