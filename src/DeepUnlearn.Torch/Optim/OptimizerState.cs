using System;
using System.Collections.Generic;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// A snapshot of an optimizer for checkpoints, flattened the way PyTorch's <c>optimizer.state_dict()</c>
/// nests it: tensors named <c>state.{i}.{key}</c> (i = the parameter's index across all groups, in
/// order; keys such as <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>,
/// <c>step</c>) and hyper-parameters named <c>param_groups.{g}.{option}</c> (plus
/// <c>param_groups.{g}.param_count</c>). The snapshot owns its tensors (copies, independent of the
/// optimizer and of any <see cref="TensorScope"/>) and disposes them in <see cref="Dispose"/>.
/// </summary>
public sealed class OptimizerState : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;
    private readonly Dictionary<string, double> _scalars;

    /// <summary>
    /// A snapshot made of <paramref name="tensors"/> and <paramref name="scalars"/> (for example read back
    /// from a checkpoint file). The snapshot takes ownership of the tensors: they leave any scope and are
    /// disposed with it.
    /// </summary>
    public OptimizerState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(scalars);
        _tensors = new(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            _tensors.Add(name, TensorScope.Detach(tensor));
        }
        _scalars = new(scalars, StringComparer.Ordinal);
    }

    /// <summary>The state tensors by name (owned by this snapshot; do not dispose them).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>The hyper-parameters of each group by name.</summary>
    public IReadOnlyDictionary<string, double> Scalars => _scalars;

    /// <summary>Releases the state tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _tensors.Values)
        {
            t.Dispose();
        }
    }
}
