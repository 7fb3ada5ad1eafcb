using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Base of the optimizers, shaped like <c>torch.optim.Optimizer</c>: parameter groups with per-group
/// options, <see cref="Step"/> over every parameter that has a gradient, <see cref="ZeroGrad"/>, and
/// per-parameter state that the optimizer owns (detached from every <see cref="TensorScope"/>, on the
/// parameter's device, released in <see cref="Dispose()"/>). The parameters themselves are borrowed.
/// State is exported and restored with <see cref="StateDict"/> / <see cref="LoadStateDict"/>, so a
/// resumed run continues bit-exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<string, double> _defaults;
    private readonly List<ParameterGroup> _groups = new();
    private readonly List<Tensor> _parameters = new();
    private readonly List<Dictionary<string, Tensor>> _tensorState = new();
    private readonly List<Dictionary<string, double>> _scalarState = new();
    private bool _disposed;

    /// <summary>
    /// Sets up the groups. <paramref name="defaults"/> names every option this optimizer has (PyTorch
    /// names) with its default; a group may override any of them and nothing else.
    /// </summary>
    protected Optimizer(IEnumerable<ParameterGroup> groups, IReadOnlyDictionary<string, double> defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(defaults);
        _defaults = new(defaults, StringComparer.Ordinal);
        foreach (ParameterGroup group in groups)
        {
            AddParamGroup(group);
        }
        if (_parameters.Count == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list: pass at least one parameter (are all of the model's parameters frozen?)", nameof(groups));
        }
    }

    /// <summary>The live parameter groups, in order. Change options through them (or through <see cref="LearningRate"/>).</summary>
    public IReadOnlyList<ParameterGroup> ParamGroups => _groups;

    /// <summary>
    /// The learning rate of the first group; setting it sets every group's (schedulers set groups one by one).
    /// </summary>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            foreach (ParameterGroup group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>The names of the tensor-valued per-parameter state this optimizer keeps.</summary>
    protected abstract IReadOnlyCollection<string> TensorStateKeys { get; }

    /// <summary>The names of the number-valued per-parameter state (exported as 0-dim float32 CPU tensors, as PyTorch's <c>step</c>).</summary>
    protected virtual IReadOnlyCollection<string> ScalarStateKeys => [];

    /// <summary>
    /// Adds a group (PyTorch's <c>add_param_group</c>): options it does not set take the optimizer's
    /// defaults. A parameter may belong to one group only.
    /// </summary>
    public void AddParamGroup(ParameterGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var options = new Dictionary<string, double>(_defaults, StringComparer.Ordinal);
        foreach (var (name, value) in group.Options)
        {
            if (!_defaults.ContainsKey(name))
            {
                throw new ArgumentException($"{GetType().Name} has no option '{name}'; valid options: {string.Join(", ", _defaults.Keys)}", nameof(group));
            }
            options[name] = value;
        }
        var own = new HashSet<Tensor>(_parameters, ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (Tensor p in group.Parameters)
        {
            if (own.Contains(p) || !seen.Add(p))
            {
                throw new ArgumentException("some parameters appear in more than one parameter group (or twice in one); each parameter may be optimised once", nameof(group));
            }
        }
        var attached = new ParameterGroup(group.Parameters, options, group.InitialLearningRate);
        Validate(attached);
        _groups.Add(attached);
        foreach (Tensor p in group.Parameters)
        {
            _parameters.Add(p);
            _tensorState.Add(new(StringComparer.Ordinal));
            _scalarState.Add(new(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// One optimisation step over every parameter whose gradient is set (parameters without a gradient
    /// are skipped, as in PyTorch). Runs without autograd recording; temporaries are released at once.
    /// </summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = LibTorch.NoGrad();
        int index = 0;
        foreach (ParameterGroup group in _groups)
        {
            Validate(group);
            foreach (Tensor parameter in group.Parameters)
            {
                using var scope = TensorScope.Begin();
                Tensor? grad = parameter.Grad;
                if (grad is not null)
                {
                    Update(group, index, parameter, grad);
                }
                index++;
            }
        }
    }

    /// <summary>Clears every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (Tensor p in _parameters)
        {
            p.Grad = null;
        }
    }

    /// <summary>
    /// A snapshot of the state and hyper-parameters (copies; see <see cref="OptimizerState"/> for the names).
    /// Dispose it when done.
    /// </summary>
    public OptimizerState StateDict()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var noGrad = LibTorch.NoGrad();
            for (int i = 0; i < _parameters.Count; i++)
            {
                foreach (var (key, value) in _scalarState[i])
                {
                    tensors.Add(StateName(i, key), TensorScope.Detach(Tensor.Scalar(value, DType.Float32, Device.Cpu)));
                }
                foreach (var (key, tensor) in _tensorState[i])
                {
                    tensors.Add(StateName(i, key), TensorScope.Detach(tensor.Clone()));
                }
            }
        }
        catch
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
            throw;
        }
        for (int g = 0; g < _groups.Count; g++)
        {
            ParameterGroup group = _groups[g];
            scalars.Add(GroupName(g, "param_count"), group.Parameters.Count);
            if (group.InitialLearningRate is double initial)
            {
                scalars.Add(GroupName(g, "initial_lr"), initial);
            }
            foreach (var (name, value) in group.Options)
            {
                scalars.Add(GroupName(g, name), value);
            }
        }
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces the state and the groups' hyper-parameters with those of <paramref name="state"/> (a
    /// snapshot of an optimizer of the same kind over parameters of the same shapes, in the same groups).
    /// Tensors are copied to each parameter's device (and floating-point dtype). Everything is checked
    /// before anything changes; <paramref name="state"/> stays owned by the caller.
    /// </summary>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var problems = new List<string>();
        var options = _groups.Select(g => new Dictionary<string, double>(g.Options, StringComparer.Ordinal)).ToArray();
        var initial = _groups.Select(g => g.InitialLearningRate).ToArray();
        var counts = new double?[_groups.Count];

        foreach (var (name, value) in state.Scalars)
        {
            if (!TryParse(name, "param_groups.", out int g, out string key) || g >= _groups.Count)
            {
                problems.Add($"unexpected '{name}' (this optimizer has {_groups.Count} group(s))");
            }
            else if (key == "param_count")
            {
                counts[g] = value;
            }
            else if (key == "initial_lr")
            {
                initial[g] = value;
            }
            else if (options[g].ContainsKey(key))
            {
                options[g][key] = value;
            }
            else
            {
                problems.Add($"unexpected option '{name}'; valid options: {string.Join(", ", _defaults.Keys)}");
            }
        }
        for (int g = 0; g < _groups.Count; g++)
        {
            if (counts[g] != _groups[g].Parameters.Count)
            {
                problems.Add(counts[g] is null
                    ? $"missing '{GroupName(g, "param_count")}'"
                    : $"group {g} has {counts[g]} parameters in the state, {_groups[g].Parameters.Count} in the optimizer");
            }
        }

        var tensorKeys = TensorStateKeys;
        var scalarKeys = ScalarStateKeys;
        foreach (var (name, tensor) in state.Tensors)
        {
            if (!TryParse(name, "state.", out int i, out string key) || i >= _parameters.Count)
            {
                problems.Add($"unexpected '{name}' (this optimizer has {_parameters.Count} parameters)");
            }
            else if (scalarKeys.Contains(key))
            {
                if (tensor.NumEl != 1)
                {
                    problems.Add($"'{name}' must hold one number, it has shape [{string.Join(", ", tensor.ShapeArray())}]");
                }
            }
            else if (!tensorKeys.Contains(key))
            {
                problems.Add($"unexpected state '{name}'; valid keys: {string.Join(", ", tensorKeys.Concat(scalarKeys))}");
            }
            else if (!tensor.Shape.SequenceEqual(_parameters[i].Shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", tensor.ShapeArray())}], parameter {i} has [{string.Join(", ", _parameters[i].ShapeArray())}]");
            }
        }
        if (problems.Count == 0)
        {
            for (int g = 0; g < _groups.Count; g++)
            {
                try
                {
                    Validate(new ParameterGroup(_groups[g].Parameters, options[g], initial[g]));
                }
                catch (ArgumentException e)
                {
                    problems.Add($"group {g}: {e.Message}");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"state does not fit this {GetType().Name}: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty)}",
                nameof(state));
        }

        var tensorState = _parameters.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToArray();
        var scalarState = _parameters.Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToArray();
        try
        {
            using var noGrad = LibTorch.NoGrad();
            foreach (var (name, tensor) in state.Tensors)
            {
                TryParse(name, "state.", out int i, out string key);
                Tensor p = _parameters[i];
                if (scalarKeys.Contains(key))
                {
                    scalarState[i][key] = tensor.Item();
                }
                else
                {
                    DType dtype = p.DType.IsFloatingPoint() && tensor.DType.IsFloatingPoint() ? p.DType : tensor.DType;
                    tensorState[i][key] = TensorScope.Detach(tensor.To(p.Device, dtype, copy: true));
                }
            }
        }
        catch
        {
            foreach (Tensor t in tensorState.SelectMany(d => d.Values))
            {
                t.Dispose();
            }
            throw;
        }

        ReleaseState();
        for (int i = 0; i < _parameters.Count; i++)
        {
            _tensorState[i] = tensorState[i];
            _scalarState[i] = scalarState[i];
        }
        for (int g = 0; g < _groups.Count; g++)
        {
            foreach (var (key, value) in options[g])
            {
                _groups[g][key] = value;
            }
            _groups[g].InitialLearningRate = initial[g];
        }
    }

    /// <summary>Releases the optimizer's state tensors (not the parameters, which it only borrows).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the state tensors; derived classes release their own extras.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }
        _disposed = true;
        ReleaseState();
    }

    // ---- For implementations ---------------------------------------------------------------------

    /// <summary>
    /// Updates <paramref name="parameter"/> (index <paramref name="index"/> across all groups) from its
    /// gradient. Called inside <see cref="LibTorch.NoGrad"/> and a <see cref="TensorScope"/> that releases
    /// every temporary (and <paramref name="grad"/>) afterwards; keep state through <see cref="SetState"/>.
    /// </summary>
    protected abstract void Update(ParameterGroup group, int index, Tensor parameter, Tensor grad);

    /// <summary>Checks a group's options; throws <see cref="ArgumentException"/> saying what is valid.
    /// Called from the base constructor (and before every step), so it must look at the group only.</summary>
    protected abstract void Validate(ParameterGroup group);

    /// <summary>The state tensor <paramref name="key"/> of parameter <paramref name="index"/>, or null.</summary>
    protected Tensor? GetState(int index, string key) => _tensorState[index].TryGetValue(key, out Tensor? t) ? t : null;

    /// <summary>Stores <paramref name="value"/> as state (the optimizer takes ownership, releasing any previous value) and returns it.</summary>
    protected Tensor SetState(int index, string key, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TensorScope.Detach(value);
        if (_tensorState[index].TryGetValue(key, out Tensor? old) && !ReferenceEquals(old, value))
        {
            old.Dispose();
        }
        _tensorState[index][key] = value;
        return value;
    }

    /// <summary>The number-valued state <paramref name="key"/> of parameter <paramref name="index"/>, or null.</summary>
    protected double? GetScalarState(int index, string key) => _scalarState[index].TryGetValue(key, out double v) ? v : null;

    /// <summary>Stores a number-valued state.</summary>
    protected void SetScalarState(int index, string key, double value) => _scalarState[index][key] = value;

    /// <summary>Throws unless option <paramref name="name"/> is a finite number &gt;= 0.</summary>
    protected static void RequireNonNegative(ParameterGroup group, string name)
    {
        ArgumentNullException.ThrowIfNull(group);
        double value = group[name];
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0");
        }
    }

    /// <summary>Throws unless <paramref name="low"/> &lt;= option <paramref name="name"/> &lt; <paramref name="high"/>.</summary>
    protected static void RequireInRange(ParameterGroup group, string name, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(group);
        double value = group[name];
        if (!(value >= low && value < high))
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be in [{low}, {high})"));
        }
    }

    /// <summary>Throws unless option <paramref name="name"/> is a flag (0 or 1).</summary>
    protected static void RequireFlag(ParameterGroup group, string name)
    {
        ArgumentNullException.ThrowIfNull(group);
        double value = group[name];
        if (value is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a flag: 0 (false) or 1 (true)");
        }
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    private void ReleaseState()
    {
        foreach (var state in _tensorState)
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
            state.Clear();
        }
        foreach (var state in _scalarState)
        {
            state.Clear();
        }
    }

    private static string StateName(int index, string key) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{key}");

    private static string GroupName(int group, string key) => string.Create(CultureInfo.InvariantCulture, $"param_groups.{group}.{key}");

    /// <summary>Splits "{prefix}{n}.{key}".</summary>
    private static bool TryParse(string name, string prefix, out int number, out string key)
    {
        number = -1;
        key = string.Empty;
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        int dot = name.IndexOf('.', prefix.Length);
        if (dot < 0 || dot == name.Length - 1
            || !int.TryParse(name.AsSpan(prefix.Length, dot - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            number = -1;
            return false;
        }
        key = name[(dot + 1)..];
        return true;
    }
}
