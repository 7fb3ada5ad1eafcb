using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Watches the inputs and outputs of named layers through forward hooks, and notices when a hook never fires.
/// TorchSharp runs a module's hooks only when it is invoked with <c>call()</c>; a parent whose <c>forward</c> invokes
/// a child with <c>child.forward(x)</c> skips that child's hooks without a word, so a method that collects layer
/// inputs (PGU's feature covariances, activation statistics) would silently see nothing. Every model in the toolkit
/// invokes its children with <c>call()</c>; <see cref="EnsureAllFired"/> turns a model that does not into an error
/// naming the layers, and <see cref="FindLayersBypassingHooks"/> checks a whole model (the zoo's contract test).
/// </summary>
public sealed class ForwardCapture : IDisposable
{
    private readonly List<Action> _removers = [];
    private readonly Dictionary<string, int> _calls;
    private bool _disposed;

    private ForwardCapture(IReadOnlyList<string> layers)
    {
        Layers = layers;
        _calls = layers.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
    }

    /// <summary>The watched layers' names (state-dict prefixes such as <c>layer1.0.conv1</c>).</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>
    /// Registers a forward hook on each of <paramref name="layerNames"/> in <paramref name="model"/> (the empty name is
    /// the model itself, as in PyTorch's <c>named_modules()</c>). Each time a layer
    /// runs through <c>call()</c>, <paramref name="onForward"/> gets its name, input and output (owned by the forward
    /// pass: copy what must outlive it). Dispose the capture to remove the hooks.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a submodule of <paramref name="model"/> (the message lists the valid ones), or the layer does not take and return one tensor.</exception>
    public static ForwardCapture Attach(torch.nn.Module model, IEnumerable<string> layerNames, Action<string, torch.Tensor, torch.Tensor>? onForward = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layerNames);
        // PyTorch's named_modules() lists the model itself under the empty name; TorchSharp's does not.
        var byName = model.named_modules().Prepend((name: string.Empty, module: model)).ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var names = layerNames.Distinct(StringComparer.Ordinal).ToList();
        var capture = new ForwardCapture(names);
        try
        {
            foreach (string name in names)
            {
                if (!byName.TryGetValue(name, out torch.nn.Module? module))
                {
                    throw new ArgumentException($"'{name}' is not a submodule of the model; its submodules: {string.Join(", ", byName.Keys.Where(k => k.Length > 0))}", nameof(layerNames));
                }
                if (module is not torch.nn.Module<torch.Tensor, torch.Tensor> layer)
                {
                    throw new ArgumentException($"'{name}' is a {module.GetType().Name}, not a layer that takes and returns one tensor", nameof(layerNames));
                }
                string layerName = name;
                var remover = layer.register_forward_hook((_, input, output) =>
                {
                    capture._calls[layerName]++;
                    onForward?.Invoke(layerName, input, output);
                    return output;
                });
                capture._removers.Add(remover.remove);
            }
            return capture;
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The layers of <paramref name="model"/> that hold parameters but whose hooks do not fire when the model runs
    /// <paramref name="input"/> through <c>call()</c> (under no_grad): layers its code invokes with <c>forward()</c>,
    /// or never uses. Empty for a well-behaved model.
    /// </summary>
    public static IReadOnlyList<string> FindLayersBypassingHooks(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var layers = model.named_modules()
            .Where(m => m.module is torch.nn.Module<torch.Tensor, torch.Tensor> && m.module.named_parameters(recurse: false).Any())
            .Select(m => m.name)
            .ToList();
        using var capture = Attach(model, layers);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            model.call(input);
        }
        return capture.SilentLayers();
    }

    /// <summary>How many times the hook of <paramref name="layer"/> fired since <see cref="Attach"/> or <see cref="Reset"/>.</summary>
    public int Calls(string layer) =>
        _calls.TryGetValue(layer, out int count) ? count : throw new KeyNotFoundException($"'{layer}' is not watched; watched: {string.Join(", ", Layers)}");

    /// <summary>Zeroes the call counts (before the next forward pass).</summary>
    public void Reset()
    {
        foreach (string name in Layers)
        {
            _calls[name] = 0;
        }
    }

    /// <summary>Checks that every watched layer's hook fired since <see cref="Attach"/> or <see cref="Reset"/>.</summary>
    /// <exception cref="InvalidOperationException">Some never fired; the message names them and the likely cause.</exception>
    public void EnsureAllFired()
    {
        IReadOnlyList<string> silent = SilentLayers();
        if (silent.Count > 0)
        {
            throw new InvalidOperationException(
                $"the forward hooks of {string.Join(", ", silent)} did not fire: TorchSharp runs hooks only when a layer is invoked with call(), " +
                "so the model's forward() must call its children with child.call(x), not child.forward(x) (or the layer is unused)");
        }
    }

    /// <summary>Removes the hooks. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Action remove in _removers)
        {
            remove();
        }
        _removers.Clear();
    }

    private IReadOnlyList<string> SilentLayers() => Layers.Where(name => _calls[name] == 0).ToList();
}
