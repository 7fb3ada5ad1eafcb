using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace DeepUnlearn.Tests.Engine;

/// <summary>Comparisons for assertions. TorchSharp's <c>equal</c> is element-wise (an alias of <c>eq</c>), and its
/// <c>Tensor.Equals</c> is not object identity, so both are spelled out here.</summary>
internal static class EngineTensorAssert
{
    /// <summary>Same shape and same values (PyTorch's torch.equal).</summary>
    public static bool Same(this torch.Tensor a, torch.Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
        {
            return false;
        }
        using var scope = torch.NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }

    /// <summary>Whether two sequences hold the very same objects, in order.</summary>
    public static bool SameObjects<T>(IEnumerable<T> a, IEnumerable<T> b)
        where T : class =>
        a.Count() == b.Count() && a.Zip(b).All(pair => ReferenceEquals(pair.First, pair.Second));
}
