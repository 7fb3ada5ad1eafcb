using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Data.Transforms;

/// <summary>Applies transforms in order (torchvision's Compose).</summary>
public sealed class Compose : IImageTransform
{
    private readonly IImageTransform[] _transforms;

    /// <summary>A pipeline of <paramref name="transforms"/>, applied first to last.</summary>
    public Compose(params IEnumerable<IImageTransform> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        _transforms = transforms.ToArray();
        if (_transforms.Any(t => t is null))
        {
            throw new ArgumentException("a pipeline cannot contain null transforms", nameof(transforms));
        }
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IImageTransform> Transforms => _transforms;

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        foreach (IImageTransform transform in _transforms)
        {
            transform.Apply(context);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Compose({string.Join(", ", _transforms.Select(t => t.ToString()))})";
}
