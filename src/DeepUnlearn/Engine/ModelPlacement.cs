using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepUnlearn.Engine;

/// <summary>
/// Moves models between devices and dtypes the one safe way. TorchSharp's <c>Module.to()</c> does not move parameters
/// in place as PyTorch does: it builds new Parameter objects and disposes the old ones, so an optimizer made before
/// the move, a stored <c>parameters()</c> list (θ0 for an anchor, a saliency mask) or a hook's captured tensor refers
/// to dead tensors, and fails later with TorchSharp's "empty handle" error far from the cause. Move first, then
/// read parameters and make the optimizer: <see cref="MoveThenCreateOptimizer"/> fixes that order, and
/// <see cref="EnsureOptimizerTracks"/> turns a stale optimizer into a clear error.
/// </summary>
public static class ModelPlacement
{
    /// <summary>
    /// Moves <paramref name="module"/>'s parameters and buffers to <paramref name="device"/> (and
    /// <paramref name="dtype"/>, for floating-point ones). Any Parameter object read from the module before this call
    /// may be disposed: read parameters again afterwards.
    /// </summary>
    public static T MoveTo<T>(T module, torch.Device device, torch.ScalarType? dtype = null)
        where T : torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(device);
        return dtype is torch.ScalarType type ? module.to(device).to(type) : module.to(device);
    }

    /// <summary>
    /// Moves <paramref name="module"/> as <see cref="MoveTo"/> does, then makes its optimizer from the moved
    /// parameters with <paramref name="createOptimizer"/> and checks it holds only current parameters.
    /// </summary>
    public static TOptimizer MoveThenCreateOptimizer<TModule, TOptimizer>(TModule module, torch.Device device, Func<TModule, TOptimizer> createOptimizer, torch.ScalarType? dtype = null)
        where TModule : torch.nn.Module
        where TOptimizer : torch.optim.Optimizer
    {
        ArgumentNullException.ThrowIfNull(createOptimizer);
        MoveTo(module, device, dtype);
        TOptimizer optimizer = createOptimizer(module);
        EnsureOptimizerTracks(optimizer, module);
        return optimizer;
    }

    /// <summary>
    /// Checks that every parameter <paramref name="optimizer"/> updates is a live, current parameter of
    /// <paramref name="module"/> (it may update only some of them, e.g. the head).
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer holds parameters the module no longer has; the message says how many and why.</exception>
    public static void EnsureOptimizerTracks(torch.optim.Optimizer optimizer, torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(module);
        var current = new HashSet<object>(module.parameters(), ReferenceEqualityComparer.Instance);
        int stale = 0;
        int total = 0;
        foreach (Parameter parameter in optimizer.parameters())
        {
            total++;
            if (parameter.IsInvalid || !current.Contains(parameter))
            {
                stale++;
            }
        }
        if (stale > 0)
        {
            throw new InvalidOperationException(
                $"the optimizer updates {stale} of its {total} parameters that are not the model's current parameters: " +
                "TorchSharp's Module.to() replaces (and disposes) Parameter objects, so make the optimizer after moving the model " +
                "(ModelPlacement.MoveThenCreateOptimizer), and re-read parameters() after any move");
        }
    }
}
