using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace DeepUnlearn.Torch.Nn;

/// <summary>
/// A neural-network module in PyTorch's sense: named parameters, buffers and child modules, a training
/// flag, and a forward function. Names compose with dots (<c>layer1.0.conv1.weight</c>) exactly as
/// torchvision's <c>state_dict()</c>, so weights move to and from PyTorch unchanged.
/// The module owns its parameters and buffers (they are detached from any <see cref="TensorScope"/>)
/// and disposes them, and its children, in <see cref="Dispose()"/>.
/// </summary>
public abstract class Module : IDisposable
{
    private List<KeyValuePair<string, Tensor>> _parameters = new();
    private List<KeyValuePair<string, Tensor>> _buffers = new();
    private List<KeyValuePair<string, Module>> _children = new();
    private bool _disposed;

    /// <summary>True in training mode (batch statistics, dropout active), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The forward computation.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Shorthand for <see cref="Forward"/>.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    // ---- Registration --------------------------------------------------------------------------

    /// <summary>Registers <paramref name="value"/> as a trainable parameter and takes ownership of it.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(value);
        TensorScope.Detach(value);
        if (!value.RequiresGrad)
        {
            value.RequiresGrad = true;
        }
        _parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers <paramref name="value"/> as a buffer (state that is saved but not trained).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(value);
        TensorScope.Detach(value);
        _buffers.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(module);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>This module's own parameter called <paramref name="name"/>.</summary>
    protected Tensor Parameter(string name) => Find(_parameters, name, "parameter");

    /// <summary>This module's own buffer called <paramref name="name"/>.</summary>
    protected Tensor Buffer(string name) => Find(_buffers, name, "buffer");

    // ---- Enumeration ---------------------------------------------------------------------------

    /// <summary>Parameters with their dotted names, this module's first, then each child's in order.
    /// The tensors are the module's own (borrowed): do not dispose them.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var p in module._parameters)
            {
                yield return (Join(prefix, p.Key), p.Value);
            }
        }
    }

    /// <summary>All parameters (borrowed), in <see cref="NamedParameters"/> order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Parameters that currently require gradients.</summary>
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(p => p.RequiresGrad);

    /// <summary>Buffers with their dotted names (borrowed).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var b in module._buffers)
            {
                yield return (Join(prefix, b.Key), b.Value);
            }
        }
    }

    /// <summary>This module (name "") and every descendant, depth first, with dotted names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return (string.Empty, this);
        foreach (var child in _children)
        {
            foreach (var (name, module) in child.Value.NamedModules())
            {
                yield return (Join(child.Key, name), module);
            }
        }
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children.Select(c => (c.Key, c.Value));

    /// <summary>The total number of parameter elements.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.NumEl);

    /// <summary>
    /// Parameters then buffers by dotted name, as PyTorch's <c>state_dict()</c> (torchvision's names and
    /// order). The tensors are the module's own (borrowed); copy them to keep values.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        var state = new List<KeyValuePair<string, Tensor>>();
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var p in module._parameters)
            {
                state.Add(new(Join(prefix, p.Key), p.Value));
            }
            foreach (var b in module._buffers)
            {
                state.Add(new(Join(prefix, b.Key), b.Value));
            }
        }
        return state;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers (converting
    /// dtype and device). With <paramref name="strict"/>, missing and unexpected names are errors; shapes
    /// must always match. Nothing is changed unless everything checks out.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        var ownNames = new HashSet<string>(own.Select(kv => kv.Key), StringComparer.Ordinal);
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out Tensor? source))
            {
                if (strict)
                {
                    problems.Add($"missing '{name}'");
                }
                continue;
            }
            if (!source.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", source.ShapeArray())}] in the state, [{string.Join(", ", target.ShapeArray())}] in the model");
            }
        }
        if (strict)
        {
            problems.AddRange(state.Keys.Where(k => !ownNames.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"unexpected '{k}'"));
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"state does not fit {GetType().Name}: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty)}",
                nameof(state));
        }
        using var noGrad = LibTorch.NoGrad();
        foreach (var (name, target) in own)
        {
            if (state.TryGetValue(name, out Tensor? source))
            {
                target.CopyFrom(source);
            }
        }
    }

    // ---- Modes and placement -------------------------------------------------------------------

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public Module Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
        {
            module.IsTraining = training;
        }
        return this;
    }

    /// <summary>Sets evaluation mode on this module and every descendant.</summary>
    public Module Eval() => Train(false);

    /// <summary>Moves every parameter and buffer to <paramref name="device"/>, keeping tensor identities.</summary>
    public Module To(Device device)
    {
        Apply(t => t.To(device));
        return this;
    }

    /// <summary>Converts every floating-point parameter and buffer to <paramref name="dtype"/>.</summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new ArgumentException($"modules convert to floating-point dtypes only, not {dtype}", nameof(dtype));
        }
        Apply(t => t.DType.IsFloatingPoint() ? t.To(dtype) : null);
        return this;
    }

    /// <summary>The device of the first parameter (CPU for a module without parameters).</summary>
    public Device Device => Parameters().FirstOrDefault()?.Device ?? Device.Cpu;

    /// <summary>Stops gradients for every parameter (or those whose dotted name satisfies <paramref name="where"/>).</summary>
    public void Freeze(Func<string, bool>? where = null) => SetRequiresGrad(false, where);

    /// <summary>Re-enables gradients for every parameter (or those whose dotted name satisfies <paramref name="where"/>).</summary>
    public void Unfreeze(Func<string, bool>? where = null) => SetRequiresGrad(true, where);

    /// <summary>Clears every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (Tensor p in Parameters())
        {
            p.Grad = null;
        }
    }

    // ---- Copies --------------------------------------------------------------------------------

    /// <summary>
    /// An independent copy: same structure, training flag and values, new storage. Fields of derived
    /// classes that refer to this module's parameters, buffers or children (directly, or in arrays and
    /// lists) are rebound to the copy's.
    /// </summary>
    public Module DeepCopy()
    {
        var map = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        return CopyInto(map);
    }

    private Module CopyInto(Dictionary<object, object> map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var copy = (Module)MemberwiseClone();
        map[this] = copy;
        using (LibTorch.NoGrad())
        {
            copy._parameters = _parameters.Select(p => new KeyValuePair<string, Tensor>(p.Key, CopyTensor(p.Value, map))).ToList();
            copy._buffers = _buffers.Select(b => new KeyValuePair<string, Tensor>(b.Key, CopyTensor(b.Value, map))).ToList();
        }
        copy._children = _children.Select(c => new KeyValuePair<string, Module>(c.Key, c.Value.CopyInto(map))).ToList();
        RebindFields(copy, map);
        return copy;
    }

    private static Tensor CopyTensor(Tensor source, Dictionary<object, object> map)
    {
        // Called under NoGrad: the clone is a fresh leaf with its own storage.
        Tensor clone = TensorScope.Detach(source.Clone());
        if (source.RequiresGrad)
        {
            clone.RequiresGrad = true;
        }
        map[source] = clone;
        return clone;
    }

    private static void RebindFields(Module copy, Dictionary<object, object> map)
    {
        for (Type? type = copy.GetType(); type is not null && type != typeof(Module); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                object? value = field.GetValue(copy);
                if (value is null)
                {
                    continue;
                }
                if (map.TryGetValue(value, out object? replacement))
                {
                    field.SetValue(copy, replacement);
                }
                else if (value is Array array && IsRebindable(array.GetType().GetElementType()))
                {
                    var fresh = (Array)array.Clone();
                    for (int i = 0; i < fresh.Length; i++)
                    {
                        object? item = fresh.GetValue(i);
                        if (item is not null && map.TryGetValue(item, out object? mapped))
                        {
                            fresh.SetValue(mapped, i);
                        }
                    }
                    field.SetValue(copy, fresh);
                }
                else if (value is IList list && value.GetType().IsGenericType && IsRebindable(value.GetType().GetGenericArguments()[0]))
                {
                    var fresh = (IList)Activator.CreateInstance(value.GetType())!;
                    foreach (object? item in list)
                    {
                        fresh.Add(item is not null && map.TryGetValue(item, out object? mapped) ? mapped : item);
                    }
                    field.SetValue(copy, fresh);
                }
            }
        }
    }

    private static bool IsRebindable(Type? elementType) =>
        elementType is not null && (typeof(Module).IsAssignableFrom(elementType) || elementType == typeof(Tensor));

    // ---- Disposal ------------------------------------------------------------------------------

    /// <summary>Releases every parameter, buffer and child module.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases owned tensors and children; derived classes release their own extras.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }
        _disposed = true;
        foreach (var p in _parameters)
        {
            p.Value.Dispose();
        }
        foreach (var b in _buffers)
        {
            b.Value.Dispose();
        }
        foreach (var c in _children)
        {
            c.Value.Dispose();
        }
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private void Apply(Func<Tensor, Tensor?> convert)
    {
        using var noGrad = LibTorch.NoGrad();
        foreach (var (_, module) in NamedModules())
        {
            foreach (var entry in module._parameters.Concat(module._buffers))
            {
                using Tensor? converted = convert(entry.Value);
                if (converted is not null)
                {
                    entry.Value.SetData(converted);
                }
            }
        }
    }

    private void SetRequiresGrad(bool requiresGrad, Func<string, bool>? where)
    {
        foreach (var (name, p) in NamedParameters())
        {
            if (where is null || where(name))
            {
                p.RequiresGrad = requiresGrad;
            }
        }
    }

    private static Tensor Find(List<KeyValuePair<string, Tensor>> entries, string name, string kind)
    {
        foreach (var entry in entries)
        {
            if (entry.Key == name)
            {
                return entry.Value;
            }
        }
        throw new KeyNotFoundException($"no {kind} '{name}'; this module has: {string.Join(", ", entries.Select(e => e.Key))}");
    }

    private void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}': names of parameters, buffers and children must not contain '.'", nameof(name));
        }
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}", nameof(name));
        }
    }

    private static string Join(string prefix, string name) =>
        prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;
}
