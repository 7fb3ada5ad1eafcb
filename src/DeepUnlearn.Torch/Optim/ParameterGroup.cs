using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// A set of parameters optimised with shared hyper-parameters, as an entry of PyTorch's
/// <c>optimizer.param_groups</c>. Options are keyed by PyTorch's names (<c>lr</c>, <c>momentum</c>,
/// <c>weight_decay</c>, <c>nesterov</c>, <c>beta1</c>, ...); flags are stored as 1 or 0.
/// A group handed to an optimizer is copied: the optimizer fills in its defaults for the options the
/// group does not set, and from then on only those options can be changed (read the live groups from
/// <see cref="Optimizer.ParamGroups"/>).
/// </summary>
public sealed class ParameterGroup
{
    private readonly Dictionary<string, double> _options;
    private readonly bool _attached;

    /// <summary>A group of <paramref name="parameters"/> with per-group <paramref name="options"/> that
    /// override the optimizer's defaults (for example <c>{ ["lr"] = 0.01, ["weight_decay"] = 0 }</c>).</summary>
    public ParameterGroup(IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, double>? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Any(p => p is null))
        {
            throw new ArgumentException("a parameter group must not contain null parameters", nameof(parameters));
        }
        _options = options is null ? new(StringComparer.Ordinal) : new(options, StringComparer.Ordinal);
    }

    internal ParameterGroup(IReadOnlyList<Tensor> parameters, Dictionary<string, double> options, double? initialLearningRate)
    {
        Parameters = parameters;
        _options = options;
        _attached = true;
        InitialLearningRate = initialLearningRate;
    }

    /// <summary>The parameters of this group (borrowed from their owner, usually a module).</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The options of this group by PyTorch name.</summary>
    public IReadOnlyDictionary<string, double> Options => _options;

    /// <summary>The learning rate (<c>lr</c>).</summary>
    public double LearningRate
    {
        get => this["lr"];
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be a finite number >= 0");
            }
            this["lr"] = value;
        }
    }

    /// <summary>
    /// The learning rate the first scheduler attached to the optimizer found (PyTorch's <c>initial_lr</c>);
    /// schedulers compute their rates from it, so building a second scheduler on an optimizer whose rate
    /// the first one already changed still starts from the original value. Null until a scheduler is built.
    /// </summary>
    public double? InitialLearningRate { get; internal set; }

    /// <summary>The option called <paramref name="name"/>. Setting an option the optimizer does not have is an error.</summary>
    public double this[string name]
    {
        get
        {
            if (_options.TryGetValue(name, out double value))
            {
                return value;
            }
            throw new KeyNotFoundException($"this parameter group has no option '{name}'; it has: {string.Join(", ", _options.Keys)}");
        }
        set
        {
            if (_attached && !_options.ContainsKey(name))
            {
                throw new KeyNotFoundException($"this optimizer has no option '{name}'; valid options: {string.Join(", ", _options.Keys)}");
            }
            _options[name] = value;
        }
    }

    /// <summary>True when the flag option <paramref name="name"/> is set (non-zero).</summary>
    public bool Flag(string name) => this[name] != 0;
}
