using System;
using System.Collections.Generic;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// The tensors and metadata loaded from a safetensors file by <see cref="SafeTensors.Load"/>. It owns the tensors
/// (they belong to no dispose scope): disposing it disposes every tensor not taken out with <see cref="Take"/>.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    private readonly OrderedDictionary<string, torch.Tensor> _tensors;
    private bool _disposed;

    internal SafeTensorsFile(string path, SafeTensorsHeader header)
    {
        Path = path;
        Header = header;
        _tensors = new OrderedDictionary<string, torch.Tensor>(header.Tensors.Count, StringComparer.Ordinal);
    }

    /// <summary>The file the tensors came from.</summary>
    public string Path { get; }

    /// <summary>The file's header (names, dtypes, shapes, offsets).</summary>
    public SafeTensorsHeader Header { get; }

    /// <summary>The <c>__metadata__</c> string map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>
    /// The tensors still owned by this object, by name, in file order. Fits <see cref="StrictStateLoader.Load"/>.
    /// </summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors;
        }
    }

    /// <summary>The tensor named <paramref name="name"/> (still owned by this object).</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message lists the names present.</exception>
    public torch.Tensor this[string name]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors.TryGetValue(name, out torch.Tensor? tensor)
                ? tensor
                : throw new KeyNotFoundException($"no tensor '{name}' in '{Path}'; present: {string.Join(", ", _tensors.Keys)}");
        }
    }

    /// <summary>Removes the tensor named <paramref name="name"/> and hands it to the caller, who disposes it.</summary>
    public torch.Tensor Take(string name)
    {
        torch.Tensor tensor = this[name];
        _tensors.Remove(name);
        return tensor;
    }

    /// <summary>Disposes every tensor still owned. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (torch.Tensor tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
        _tensors.Clear();
    }

    internal void Add(string name, torch.Tensor tensor) => _tensors.Add(name, tensor);
}
