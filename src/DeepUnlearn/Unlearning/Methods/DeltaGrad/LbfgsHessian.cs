using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The limited-memory BFGS Hessian estimate in the compact representation of Byrd, Nocedal and
/// Schnabel (1994, "Representations of quasi-Newton matrices and their use in limited memory methods",
/// Theorem 2.3): from k pairs s_i = Δw_i, y_i = Δg_i (oldest first) and B_0 = σI,
/// <code>
/// B = σI − [σS  Y] M⁻¹ [σSᵀ; Yᵀ],   M = [[σSᵀS, L], [Lᵀ, −D]],
/// </code>
/// with S = [s_1 … s_k], Y = [y_1 … y_k], L the strictly lower triangle of SᵀY ((SᵀY)_{ij} = s_iᵀy_j for
/// i &gt; j) and D = diag(s_iᵀy_i). It equals k recursive BFGS updates of σI and costs O(kP) per product.
/// DeltaGrad uses B·(w^I_t − w_t) to approximate the gradient change. All work is in tensors on the
/// pairs' device; the 2k×2k middle matrix is inverted once per history.
/// </summary>
public sealed class LbfgsHessian : IDisposable
{
    private readonly Tensor _w;
    private readonly Tensor _middleInverse;
    private bool _disposed;

    private LbfgsHessian(Tensor w, Tensor middleInverse, double sigma, int pairs)
    {
        _w = w;
        _middleInverse = middleInverse;
        Sigma = sigma;
        PairCount = pairs;
    }

    /// <summary>σ of B_0 = σI.</summary>
    public double Sigma { get; }

    /// <summary>k, the number of (s, y) pairs.</summary>
    public int PairCount { get; }

    /// <summary>
    /// Builds B from the pairs (each [P], oldest first, all with s_iᵀy_i &gt; 0). σ defaults to
    /// s_kᵀy_k / s_kᵀs_k of the newest pair, the choice of the DeltaGrad authors' implementation.
    /// </summary>
    public static LbfgsHessian FromPairs(IReadOnlyList<Tensor> s, IReadOnlyList<Tensor> y, double? sigma = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(y);
        if (s.Count == 0 || s.Count != y.Count)
        {
            throw new ArgumentException($"need k ≥ 1 pairs with as many y as s; got {s.Count} s and {y.Count} y");
        }
        int k = s.Count;
        using var scope = torch.NewDisposeScope();
        Tensor sRows = torch.stack(Flat(s));
        Tensor yRows = torch.stack(Flat(y));
        Tensor sy = sRows.mm(yRows.t());
        Tensor ss = sRows.mm(sRows.t());
        double scale = sigma ?? (sy[k - 1][k - 1].ToDouble() / ss[k - 1][k - 1].ToDouble());
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentException($"σ = {scale}: B_0 = σI must be positive definite (the newest pair violates sᵀy > 0)");
        }
        Device device = sRows.device;
        Tensor index = torch.arange(k, device: device);
        Tensor below = index.unsqueeze(1).gt(index.unsqueeze(0)).to(sy.dtype);
        Tensor eye = torch.eye(k, dtype: sy.dtype, device: device);
        Tensor l = sy.mul(below);
        Tensor d = sy.mul(eye);
        Tensor top = torch.cat([ss.mul(scale), l], 1);
        Tensor bottom = torch.cat([l.t(), d.neg()], 1);
        Tensor middle = torch.cat([top, bottom], 0);
        Tensor middleInverse = torch.linalg.inv(middle);
        Tensor w = torch.cat([sRows.mul(scale), yRows], 0);
        var hessian = new LbfgsHessian(w.DetachFromDisposeScope(), middleInverse.DetachFromDisposeScope(), scale, k);
        return hessian;
    }

    /// <summary>B·v for a vector v [P] (returns a new [P] tensor).</summary>
    public Tensor Multiply(Tensor v)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(v);
        using var scope = torch.NewDisposeScope();
        Tensor column = v.reshape(-1, 1);
        Tensor q = _middleInverse.mm(_w.mm(column));
        Tensor result = column.mul(Sigma).sub(_w.t().mm(q)).reshape(-1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>B as a dense [P, P] matrix (for checks on small problems).</summary>
    public Tensor ToDense()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        long p = _w.size(1);
        Tensor dense = torch.eye(p, dtype: _w.dtype, device: _w.device).mul(Sigma).sub(_w.t().mm(_middleInverse).mm(_w));
        return dense.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _w.Dispose();
            _middleInverse.Dispose();
        }
    }

    private static Tensor[] Flat(IReadOnlyList<Tensor> vectors)
    {
        var flat = new Tensor[vectors.Count];
        for (int i = 0; i < flat.Length; i++)
        {
            flat[i] = vectors[i].reshape(-1);
        }
        return flat;
    }
}
