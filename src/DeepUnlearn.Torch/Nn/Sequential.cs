using System;
using System.Collections.Generic;
using System.Globalization;

namespace DeepUnlearn.Torch.Nn;

/// <summary>Modules applied in order; children are named "0", "1", ... as in torch.nn.Sequential.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = new();

    /// <summary>Creates the container from <paramref name="layers"/>.</summary>
    public Sequential(params ReadOnlySpan<Module> layers)
    {
        foreach (Module layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>Layer <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Appends a layer, named by its position.</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Module layer in _layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }
}
