using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// A TorchSharp classifier from outside the zoo, seen as a <see cref="ClassifierModel"/> (see
/// <see cref="ClassifierModel.FromModule"/>). The network's top-level submodules are registered on this wrapper under
/// their own names, so state-dict names are the network's; the features are the head's input, captured by a forward
/// hook on the head while the network runs.
/// </summary>
internal sealed class ModuleClassifier : ClassifierModel
{
    private readonly Func<nn.Module<Tensor, Tensor>> _create;
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly string _headName;
    private readonly Linear _head;

    public ModuleClassifier(Func<nn.Module<Tensor, Tensor>> create, string? headName)
        : base("ModuleClassifier")
    {
        _create = create;
        _network = create() ?? throw new ArgumentException("the factory returned no module", nameof(create));
        try
        {
            if (_network.named_parameters(recurse: false).Any() || _network.named_buffers(recurse: false).Any())
            {
                throw new ArgumentException(
                    $"{_network.GetType().Name} holds parameters or buffers of its own (outside any submodule); wrap a network whose weights live in submodules",
                    nameof(create));
            }
            (_head, _headName) = FindHead(_network, headName);
        }
        catch
        {
            _network.Dispose();
            throw;
        }
        foreach (var (name, child) in _network.named_children())
        {
            register_module(name, child);
        }
    }

    private static (Linear Head, string Name) FindHead(nn.Module<Tensor, Tensor> network, string? headName)
    {
        var linears = network.named_modules().Where(m => m.module is Linear).ToList();
        if (headName is null)
        {
            if (linears.Count == 0)
            {
                throw new ArgumentException($"{network.GetType().Name} has no Linear layer to serve as the classification head", nameof(headName));
            }
            headName = linears[^1].name;
        }
        var head = linears.FirstOrDefault(m => m.name == headName).module as Linear
            ?? throw new ArgumentException(
                $"'{headName}' is not a Linear submodule of {network.GetType().Name}; its Linear layers: {string.Join(", ", linears.Select(m => m.name))}",
                nameof(headName));
        return (head, headName);
    }

    public override Linear Head => _head;

    public override string HeadName => _headName;

    public override Tensor forward(Tensor input) => _network.call(input);

    // TorchSharp's train() sets the flag of the module and of its registered children. The network itself is not a
    // registered child of this wrapper (its children are), so its own flag is set here: a network whose forward reads
    // `training` (functional dropout) must see eval() and train().
    public override void train(bool train = true)
    {
        base.train(train);
        _network.train(train);
    }

    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The hook runs inside the network's forward, often inside a dispose scope of the network's own (TorchVision's
        // models open one and move only their output out): a tensor made there dies with that scope. The head's input
        // is held outside every scope and handed back as a fresh alias, which belongs to the caller's scope like any
        // result (an alias is a view: gradients flow through it).
        Tensor? captured = null;
        try
        {
            using (ForwardCapture capture = ForwardCapture.Attach(_network, [_headName], (_, headInput, _) =>
            {
                captured?.Dispose();
                captured = headInput.alias().DetachFromDisposeScope();
            }))
            {
                using Tensor logits = _network.call(input);
                capture.EnsureAllFired();
            }
            return captured!.alias();
        }
        finally
        {
            captured?.Dispose();
        }
    }

    // The submodules are registered explicitly under the network's names; the wrapper's own fields must not be
    // registered again by reflection (TorchSharp does that when a module is nested in another).
    protected override void RegisterComponents()
    {
    }

    protected override ClassifierModel CreateSibling() => new ModuleClassifier(_create, _headName);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network.Dispose();
        }
        base.Dispose(disposing);
    }
}
