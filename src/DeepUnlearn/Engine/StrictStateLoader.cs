using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Loads a whole state dict into a module or nothing at all. TorchSharp's <c>Module.load_state_dict</c> checks names
/// only, then copies entry by entry: a wrong shape throws half-way, leaving some layers loaded and others not, and a
/// broadcastable shape (a [1] bias into a [10] one) or another dtype is copied silently. Here every name, shape and
/// dtype is checked first; only then is each tensor copied in place, under no_grad, into the module's own parameter
/// and buffer objects (so optimizers and other holders of those objects stay valid).
/// </summary>
public static class StrictStateLoader
{
    /// <summary>
    /// Copies <paramref name="state"/> into <paramref name="module"/>'s parameters and persistent buffers. The names
    /// must be exactly the module's <c>state_dict()</c> names, with the same shapes and dtypes; the state's tensors may
    /// be on any device (they are copied to the module's).
    /// </summary>
    /// <exception cref="StateDictMismatchException">Names missing or unexpected, or shapes or dtypes differ; the module is unchanged.</exception>
    public static void Load(torch.nn.Module module, IReadOnlyDictionary<string, torch.Tensor> state)
    {
        Dictionary<string, torch.Tensor> target = Validate(module, state);
        using var noGrad = torch.no_grad();
        foreach (var (name, destination) in target)
        {
            destination.copy_(state[name]);
        }
    }

    /// <summary>
    /// Checks that <paramref name="state"/> fits <paramref name="module"/> exactly, without copying; returns the
    /// module's state dict (its own tensors) for a caller that copies next.
    /// </summary>
    /// <exception cref="StateDictMismatchException">Names missing or unexpected, or shapes or dtypes differ.</exception>
    public static Dictionary<string, torch.Tensor> Validate(torch.nn.Module module, IReadOnlyDictionary<string, torch.Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<string, torch.Tensor> target = module.state_dict();
        var missing = target.Keys.Where(name => !state.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var unexpected = state.Keys.Where(name => !target.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var mismatched = new List<string>();
        foreach (var (name, destination) in target.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!state.TryGetValue(name, out torch.Tensor? source))
            {
                continue;
            }
            if (source is null || source.IsInvalid)
            {
                mismatched.Add($"{name}: the state dict's tensor is null or disposed");
            }
            else if (source.dtype != destination.dtype || !source.shape.SequenceEqual(destination.shape))
            {
                mismatched.Add($"{name}: module {Describe(destination)}, state dict {Describe(source)}");
            }
        }
        if (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0)
        {
            throw new StateDictMismatchException(missing, unexpected, mismatched);
        }
        return target;
    }

    private static string Describe(torch.Tensor tensor) => $"{tensor.dtype} [{string.Join(", ", tensor.shape)}]";
}
