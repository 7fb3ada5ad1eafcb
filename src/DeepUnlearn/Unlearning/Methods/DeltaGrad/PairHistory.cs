using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The last m (Δw, Δg) pairs of DeltaGrad (ΔW and ΔG of Algorithm 1) and the L-BFGS estimate built
/// from them, rebuilt only when a pair is added.
/// </summary>
internal sealed class PairHistory : IDisposable
{
    // A pair must show positive curvature, sᵀy > ε sᵀs, for the BFGS update to stay positive definite;
    // pairs failing it are skipped, the usual L-BFGS safeguard.
    private const double CurvatureEpsilon = 1e-10;

    private readonly int _capacity;
    private readonly List<Tensor> _s = new();
    private readonly List<Tensor> _y = new();
    private LbfgsHessian? _hessian;

    public PairHistory(int capacity)
    {
        _capacity = capacity;
    }

    public int Count => _s.Count;

    public int Skipped { get; private set; }

    /// <summary>Adds the pair (copies kept) if it has positive curvature; drops the oldest beyond m.</summary>
    public void Push(Tensor s, Tensor y)
    {
        double ss;
        double sy;
        using (torch.NewDisposeScope())
        {
            ss = s.dot(s).ToDouble();
            sy = s.dot(y).ToDouble();
        }
        if (!(ss > 0) || !double.IsFinite(sy) || sy <= CurvatureEpsilon * ss)
        {
            Skipped++;
            return;
        }
        _s.Add(s.clone().DetachFromDisposeScope());
        _y.Add(y.clone().DetachFromDisposeScope());
        if (_s.Count > _capacity)
        {
            _s[0].Dispose();
            _y[0].Dispose();
            _s.RemoveAt(0);
            _y.RemoveAt(0);
        }
        _hessian?.Dispose();
        _hessian = null;
    }

    /// <summary>The L-BFGS estimate of the current pairs (borrowed).</summary>
    public LbfgsHessian Hessian()
    {
        if (_s.Count == 0)
        {
            throw new InvalidOperationException("no (Δw, Δg) pairs yet");
        }
        return _hessian ??= LbfgsHessian.FromPairs(_s, _y);
    }

    public void Dispose()
    {
        _hessian?.Dispose();
        foreach (Tensor t in _s)
        {
            t.Dispose();
        }
        foreach (Tensor t in _y)
        {
            t.Dispose();
        }
        _s.Clear();
        _y.Clear();
    }
}
