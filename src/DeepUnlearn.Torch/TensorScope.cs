using System;
using System.Collections.Generic;

namespace DeepUnlearn.Torch;

/// <summary>
/// Deterministic release of native tensors: every tensor created on this thread while the scope is the
/// innermost one is disposed when the scope ends, unless it was kept (moved to the enclosing scope, or
/// out of all scopes when there is none) or detached. Wrap each loop step in
/// <c>using var scope = TensorScope.Begin();</c> and <c>scope.Keep(t)</c> what must survive.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? s_current;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _tensors = new();
    private bool _disposed;

    private TensorScope(TensorScope? parent)
    {
        _parent = parent;
    }

    /// <summary>The innermost open scope on this thread, if any.</summary>
    public static TensorScope? Current => s_current;

    /// <summary>How many tensors this scope currently owns.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (Tensor t in _tensors)
            {
                if (ReferenceEquals(t.Owner, this) && !t.IsDisposed)
                {
                    count++;
                }
            }
            return count;
        }
    }

    /// <summary>Opens a scope nested in the current one.</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(s_current);
        s_current = scope;
        return scope;
    }

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope (or out of all scopes) and returns it.</summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (ReferenceEquals(tensor.Owner, this))
        {
            tensor.Owner = null;
            _parent?.Adopt(tensor);
        }
        return tensor;
    }

    /// <summary>Keeps several tensors (see <see cref="Keep(Tensor)"/>).</summary>
    public void Keep(params ReadOnlySpan<Tensor> tensors)
    {
        foreach (Tensor t in tensors)
        {
            Keep(t);
        }
    }

    /// <summary>Removes <paramref name="tensor"/> from whatever scope owns it; its owner (a module, an
    /// optimizer, the caller) disposes it.</summary>
    public static Tensor Detach(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Owner = null;
        return tensor;
    }

    /// <summary>Disposes every tensor the scope still owns and makes the enclosing scope current.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Tensor t in _tensors)
        {
            if (ReferenceEquals(t.Owner, this))
            {
                t.Owner = null;
                t.Dispose();
            }
        }
        _tensors.Clear();
        // Unwind past every disposed scope: this one, and enclosing ones disposed out of order while
        // this one was still open, so new tensors are never registered in a dead scope.
        TensorScope? scope = ReferenceEquals(s_current, this) ? _parent : s_current;
        while (scope is not null && scope._disposed)
        {
            scope = scope._parent;
        }
        s_current = scope;
    }

    internal static void Register(Tensor tensor)
    {
        TensorScope? scope = s_current;
        scope?.Adopt(tensor);
    }

    private void Adopt(Tensor tensor)
    {
        if (_disposed)
        {
            // Kept into a parent disposed out of order: the nearest live enclosing scope takes it.
            _parent?.Adopt(tensor);
            return;
        }
        tensor.Owner = this;
        _tensors.Add(tensor);
    }
}
