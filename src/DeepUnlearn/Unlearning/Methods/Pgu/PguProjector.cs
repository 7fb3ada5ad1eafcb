using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// One layer's gradient projection G ← G − G·P, P = U_k·U_kᵀ, where U_k holds the leading eigenvectors of the
/// layer's retain representation matrix R_r = U·diag(σ²)·Uᵀ (σ descending, the singular values of the retain
/// inputs) and k is the authors' energy rule (<c>unlearn_class.py</c>): the number of i with
/// Σ_{j≤i} σ_j / Σ_j σ_j ≤ ε, plus one (capped at the dimension d).
/// <para>
/// A step costs one product with a precomputed matrix: G·(I − P) (out·d² multiply-adds) when k and d − k are both
/// large; when one of them is small the thin orthonormal basis instead, U_k (G − (G·U_k)·U_kᵀ) or its complement U_⊥
/// (G·U_⊥·U_⊥ᵀ, equal to G − G·P because U_k·U_kᵀ + U_⊥·U_⊥ᵀ = I), at 2·out·d·min(k, d − k). Measured with
/// TorchSharp 0.107 / CPU libtorch 2.10 on 2 cores (a loaded machine, so the ratios count): for G [128, 3136] (smallcnn's
/// fc1 on 28×28 inputs) the thin complement took 164 ms against the dense product's 355 ms at d − k = 666 (d/4.7),
/// 258 against 306 at d − k = 1,136 (d/2.8), 436 against 417 at d/2; for [512, 4608] 634 against 2,153 at d − k = 608 and
/// 2,071 against 2,459 at d − k = 1,608 (d/2.9). On small layers the dense product wins whatever the rank ([64, 288],
/// d − k = 87: 0.26 against 0.75 ms): per-call costs dominate there. Hence the thin basis when
/// min(k, d − k) ≤ d/<see cref="LowRankFactor"/> on layers of at least <see cref="LargeLayerDimension"/> inputs, and
/// ≤ d/<see cref="SmallLayerFactor"/> below that. The fc1 choice is most of a PGU epoch's cost on smallcnn: the dense
/// product cost as much as the rest of the step. A layer with k = d cannot move (<see cref="IsFrozen"/>).
/// </para>
/// </summary>
public sealed class PguProjector : IDisposable
{
    /// <summary>On layers of at least <see cref="LargeLayerDimension"/> inputs the thin basis is used when min(k, d − k) ≤ d / LowRankFactor.</summary>
    public const int LowRankFactor = 3;

    /// <summary>On smaller layers the thin basis is used when min(k, d − k) ≤ d / SmallLayerFactor.</summary>
    public const int SmallLayerFactor = 5;

    /// <summary>The input dimension from which <see cref="LowRankFactor"/> applies.</summary>
    public const int LargeLayerDimension = 1024;

    private readonly Tensor? _matrix;
    private readonly Form _form;

    private PguProjector(long dimension, int rank, Tensor? matrix, Form form)
    {
        Dimension = dimension;
        Rank = rank;
        _matrix = matrix;
        _form = form;
    }

    private enum Form
    {
        Identity,       // k = 0: G unchanged
        Zero,           // k = d: G·(I − P) = 0
        Complement,     // _matrix = I − P [d, d]
        KeptBasis,      // _matrix = U_k [d, k]
        ComplementBasis, // _matrix = U_⊥ [d, d − k]
    }

    /// <summary>d, the length of the layer's input vectors.</summary>
    public long Dimension { get; }

    /// <summary>k, the dimension of the protected retain subspace.</summary>
    public int Rank { get; }

    /// <summary>True when the retain subspace is the whole input space (k = d): every projected gradient is 0.</summary>
    public bool IsFrozen => Rank == Dimension;

    /// <summary>
    /// The projector of a symmetric positive semi-definite <paramref name="covariance"/> [d, d] (any float dtype;
    /// the eigendecomposition runs in float64, negative round-off eigenvalues count as 0) keeping the share
    /// <paramref name="retainedEnergy"/> ε ∈ (0, 1] of Σσ; the basis is stored in <paramref name="dtype"/>.
    /// </summary>
    public static PguProjector FromCovariance(Tensor covariance, double retainedEnergy, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.dim() != 2 || covariance.size(0) != covariance.size(1))
        {
            throw new ArgumentException($"the covariance must be square, got [{string.Join(", ", covariance.shape)}]", nameof(covariance));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedEnergy);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retainedEnergy, 1.0);
        long d = covariance.size(0);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (eigenvalues, eigenvectors) = torch.linalg.eigh(covariance.to(ScalarType.Float64)); // ascending
        Tensor sigma = eigenvalues.flip(0L).clamp(min: 0).sqrt(); // σ_i, descending
        double total = sigma.sum().ToDouble();
        int k = 0;
        if (total > 0)
        {
            Tensor share = sigma.cumsum(dim: 0).div(total);
            k = (int)Math.Min(d, share.le(retainedEnergy).sum().ToInt64() + 1);
        }
        if (k == 0 || k == d)
        {
            return new PguProjector(d, k, null, k == 0 ? Form.Identity : Form.Zero);
        }
        // eigenvectors are ascending: the last k columns are U_k, the first d − k are U_⊥.
        Tensor kept = eigenvectors.narrow(1, d - k, k);
        Tensor complement = eigenvectors.narrow(1, 0, d - k);
        int factor = d >= LargeLayerDimension ? LowRankFactor : SmallLayerFactor;
        (Tensor matrix, Form form) = Math.Min(k, d - k) * (long)factor > d
            ? (complement.mm(complement.T), Form.Complement)
            : k <= d - k ? (kept, Form.KeptBasis) : (complement, Form.ComplementBasis);
        return new PguProjector(d, k, matrix.to(dtype).contiguous().DetachFromDisposeScope(), form);
    }

    /// <summary>P = U_k·U_kᵀ as a dense [d, d] matrix in <paramref name="dtype"/> (for checks and tests; the steps never form it).</summary>
    public Tensor Matrix(ScalarType dtype = ScalarType.Float64)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor p;
        switch (_form)
        {
            case Form.Identity:
                p = torch.zeros([Dimension, Dimension], dtype);
                break;
            case Form.Zero:
                p = torch.eye(Dimension, dtype: dtype);
                break;
            case Form.Complement:
                p = torch.eye(Dimension, dtype: dtype).sub(_matrix!.to(dtype));
                break;
            default:
                Tensor b = _matrix!.to(dtype);
                Tensor bbT = b.mm(b.T);
                p = _form == Form.ComplementBasis ? torch.eye(Dimension, dtype: dtype).sub(bbT) : bbT;
                break;
        }
        return p.MoveToOuterDisposeScope();
    }

    /// <summary>G − G·P for rows G [n, d].</summary>
    public Tensor Project(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.dim() != 2 || rows.size(1) != Dimension)
        {
            throw new ArgumentException($"the projector is for {Dimension}-dimensional inputs but the gradient rows are [{string.Join(", ", rows.shape)}]", nameof(rows));
        }
        using var scope = torch.NewDisposeScope();
        Tensor result = _form switch
        {
            Form.Identity => rows.clone(),
            Form.Zero => rows.zeros_like(),
            Form.Complement => rows.mm(_matrix!),                          // G·(I − P)
            Form.ComplementBasis => rows.mm(_matrix!).mm(_matrix!.T),      // G·U_⊥·U_⊥ᵀ
            _ => rows.sub(rows.mm(_matrix!).mm(_matrix!.T)),               // G − G·U_k·U_kᵀ
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One PGU update of <paramref name="weight"/> from its gradient (the authors' loop): G ← ∇W + wd·W,
    /// G ← G − G·P (G viewed as [out, d]), W ← W − η·G. Outputs W·x for x in the span of U_k are unchanged.
    /// Does nothing when the weight has no gradient or the layer is frozen.
    /// </summary>
    public void Step(Tensor weight, double learningRate, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (IsFrozen)
        {
            return;
        }
        using var scope = torch.NewDisposeScope(); // owns the handle weight.grad makes
        Tensor? grad = weight.grad;
        if (grad is null)
        {
            return;
        }
        using var noGrad = torch.no_grad();
        Tensor g = weightDecay == 0 ? grad : grad.add(weight, alpha: weightDecay);
        Tensor projected = Project(g.reshape(weight.size(0), -1));
        weight.add_(projected.reshape(weight.shape), alpha: -learningRate); // W − η·G
    }

    /// <summary>Releases the basis.</summary>
    public void Dispose() => _matrix?.Dispose();
}
