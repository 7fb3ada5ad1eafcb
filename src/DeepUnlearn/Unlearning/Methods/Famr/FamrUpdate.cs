using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DeepUnlearn.Training;

namespace DeepUnlearn.Unlearning.Methods.Famr;

/// <summary>
/// One FAMR step on the whole objective F(θ) = L_KL(θ) + (ρ/2)·‖θ − θ0‖², given the gradient g = ∇L_KL(θ_t) of a
/// batch's KL term in each parameter's <c>grad</c>. Every optimizer is run on the composite gradient
/// ∇F = g + ρ(θ − θ0), so its fixed points are the stationary points of F (∇L_KL(θ) + ρ(θ − θ0) = 0):
/// <list type="bullet">
/// <item><description>
/// SGD with heavy-ball momentum μ (μ = 0 is plain SGD), with the anchor's term taken implicitly at the new point
/// (backward Euler), which keeps the step stable for every ηρ:
/// <code>
/// v_{t+1} = μ·v_t + g + ρ(θ_{t+1} − θ0),     θ_{t+1} = θ_t − η·v_{t+1}
/// ⇔  θ_{t+1} = prox_{ηρ/2·‖·−θ0‖²}(θ_t − η(μ·v_t + g)) = θ0 + (θ_t − η(μ·v_t + g) − θ0)/(1 + ηρ)
/// </code>
/// For μ = 0 this is proximal gradient descent. At a fixed point v = ∇F/(1 − μ) and μv + g + ρ(θ − θ0) = 0, so
/// ∇F = 0; an explicit prox after a momentum step (the earlier form) stopped at ∇L_KL + ρ(1 − μ)(θ − θ0) = 0.
/// </description></item>
/// <item><description>
/// Adam (<c>torch.optim.Adam</c>, β = (0.9, 0.999), ε = 1e-8) on g + ρ(θ_t − θ0), the anchor's gradient at the
/// current point, exactly like Adam's L2 weight decay but towards θ0. Adam's steps are bounded by about η per
/// coordinate, so the explicit anchor is stable; its fixed point needs the first moment, hence ∇F, to vanish.
/// </description></item>
/// </list>
/// </summary>
internal sealed class FamrUpdate : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly IReadOnlyList<Tensor> _anchors;
    private readonly double _learningRate;
    private readonly double _rho;
    private readonly double _momentum;
    private readonly Adam? _adam;
    private readonly Tensor?[] _velocity;

    /// <summary>The update of <paramref name="parameters"/> around <paramref name="anchors"/> (θ0, same order, borrowed).</summary>
    public FamrUpdate(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> anchors, FamrOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(options);
        if (parameters.Count != anchors.Count)
        {
            throw new ArgumentException($"{parameters.Count} parameters but {anchors.Count} anchors", nameof(anchors));
        }
        _parameters = parameters;
        _anchors = anchors;
        _learningRate = options.LearningRate;
        _rho = options.Rho;
        _momentum = options.Optimizer == OptimizerKind.Sgd ? options.Momentum : 0;
        _velocity = new Tensor?[parameters.Count];
        if (options.Optimizer == OptimizerKind.Adam)
        {
            _adam = torch.optim.Adam(parameters, options.LearningRate);
        }
    }

    /// <summary>One step from the KL gradients in the parameters' <c>grad</c> (parameters without one are skipped).</summary>
    public void Step()
    {
        if (_adam is not null)
        {
            AdamStep();
        }
        else
        {
            SgdStep();
        }
    }

    /// <summary>Releases the momentum buffers and Adam's state.</summary>
    public void Dispose()
    {
        _adam?.Dispose();
        for (int i = 0; i < _velocity.Length; i++)
        {
            _velocity[i]?.Dispose();
            _velocity[i] = null;
        }
    }

    private void SgdStep()
    {
        double eta = _learningRate;
        // s = ρ/(1 + ηρ) and w = ηs = ηρ/(1 + ηρ); both stay finite as ρ → ∞ (s → 1/η, w → 1: θ returns to θ0).
        double s = double.IsPositiveInfinity(_rho) ? 1.0 / eta : _rho / (1.0 + (eta * _rho));
        double w = double.IsPositiveInfinity(_rho) ? 1.0 : eta * s;
        using var noGrad = torch.no_grad();
        for (int i = 0; i < _parameters.Count; i++)
        {
            // The scope also releases the handle that reading grad returns (not the gradient itself).
            using var scope = torch.NewDisposeScope();
            Parameter p = _parameters[i];
            if (p.grad is not Tensor g)
            {
                continue;
            }
            Tensor? v = _velocity[i];
            Tensor d = v is null ? g.clone() : v.mul(_momentum).add_(g); // μ·v_t + g
            // sub with alpha is libtorch's add with −alpha, so these are the old binding's Sub(x, alpha) bit for bit.
            Tensor diff = p.add(d, -eta).sub_(_anchors[i]);            // θ_t − η(μv_t + g) − θ0
            p.add_(d, -eta).add_(diff, -w);                           // θ0 + diff/(1 + ηρ)
            if (_momentum != 0)
            {
                // v_{t+1} = μv_t + g + ρ(θ_{t+1} − θ0), with ρ(θ_{t+1} − θ0) = s·diff exactly.
                Tensor next = d.add_(diff, s).DetachFromDisposeScope();
                v?.Dispose();
                _velocity[i] = next;
            }
        }
    }

    private void AdamStep()
    {
        if (_rho != 0)
        {
            using var noGrad = torch.no_grad();
            for (int i = 0; i < _parameters.Count; i++)
            {
                using var scope = torch.NewDisposeScope();
                Parameter p = _parameters[i];
                if (p.grad is Tensor g)
                {
                    g.add_(p.sub(_anchors[i]), _rho); // ∇F = g + ρ(θ_t − θ0)
                }
            }
        }
        _adam!.step();
    }
}
