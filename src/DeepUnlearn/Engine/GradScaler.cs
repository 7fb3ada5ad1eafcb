using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Engine;

/// <summary>
/// Dynamic loss scaling for float16 autocast, PyTorch's <c>torch.amp.GradScaler</c> in C#: float16 gradients below
/// ~6e-8 flush to zero, so the loss is multiplied by a large scale S before backward (<see cref="Scale"/>), the
/// gradients are divided by S before anything reads them (<see cref="Unscale"/>: clipping, projections, masks), and a
/// step whose gradients hold an inf or NaN is skipped (<see cref="Step(optim.Optimizer)"/>). <see cref="Update"/> ends
/// every iteration as <c>_amp_update_scale_</c> does: on inf/NaN S ← S·backoff and the count of clean steps restarts;
/// after <see cref="GrowthInterval"/> clean steps in a row S ← S·growth (kept only if finite). Defaults are PyTorch's:
/// S₀ = 2¹⁶, growth 2, backoff 0.5, interval 2000. Disabled (bfloat16, float32), every call is the plain operation.
/// </summary>
/// <remarks>
/// The scale lives on the host as a double: PyTorch keeps it in a device tensor to avoid a synchronisation, but our
/// loops read the loss back every step anyway, so the one extra read of the inf flag per step costs nothing more.
/// </remarks>
public sealed class GradScaler
{
    /// <summary>PyTorch's initial scale, 2¹⁶.</summary>
    public const double DefaultInitialScale = 65536.0;

    private bool _unscaled;
    private bool _foundInf;

    /// <summary>A scaler with PyTorch's defaults (or the given schedule); <paramref name="enabled"/> false makes every call a pass-through.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive scale, growth ≤ 1, backoff outside (0, 1), or interval &lt; 1.</exception>
    public GradScaler(bool enabled = true, double initialScale = DefaultInitialScale, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initialScale > 0) || double.IsInfinity(initialScale))
        {
            throw new ArgumentOutOfRangeException(nameof(initialScale), initialScale, "the initial loss scale must be a positive finite number (PyTorch's default is 65536)");
        }
        if (!(growthFactor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "the growth factor must be above 1 (PyTorch's default is 2)");
        }
        if (!(backoffFactor is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "the backoff factor must be in (0, 1) (PyTorch's default is 0.5)");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(growthInterval, 1);
        Enabled = enabled;
        CurrentScale = initialScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>Whether scaling is on (float16 autocast); off, <see cref="Scale"/> returns the loss and steps are never skipped.</summary>
    public bool Enabled { get; }

    /// <summary>The scale S the next backward uses.</summary>
    public double CurrentScale { get; private set; }

    /// <summary>The factor S grows by after <see cref="GrowthInterval"/> clean steps.</summary>
    public double GrowthFactor { get; }

    /// <summary>The factor S shrinks by after a step with inf/NaN gradients.</summary>
    public double BackoffFactor { get; }

    /// <summary>Clean steps in a row before S grows.</summary>
    public int GrowthInterval { get; }

    /// <summary>Clean steps since the scale last changed (PyTorch's growth tracker).</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Steps skipped because their gradients held inf or NaN.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The loss times S, to call backward on (the loss itself when disabled).</summary>
    public Tensor Scale(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Enabled ? loss.mul(CurrentScale) : loss;
    }

    /// <summary>
    /// Divides the gradients of <paramref name="parameters"/> by S in place, once per iteration, and records whether
    /// any of them is inf or NaN. Returns true when all are finite (the step may be taken). Call it before reading the
    /// gradients (clipping, projection, masking); <see cref="Step(optim.Optimizer)"/> calls it when it was not.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice in one iteration (before <see cref="Update"/>), as PyTorch refuses.</exception>
    public bool Unscale(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!Enabled)
        {
            return true;
        }
        if (_unscaled)
        {
            throw new InvalidOperationException("GradScaler.Unscale was already called in this iteration; call Update() after the step first");
        }
        _unscaled = true;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double inverse = 1.0 / CurrentScale;
        var flags = new List<Tensor>();
        foreach (Tensor p in parameters)
        {
            if (p.grad is not Tensor g)
            {
                continue;
            }
            g.mul_(inverse);
            flags.Add(g.isfinite().all());
        }
        _foundInf = flags.Count > 0 && !torch.stack(flags).all().item<bool>();
        return !_foundInf;
    }

    /// <summary>
    /// Unscales (unless already done this iteration) and takes <paramref name="optimizer"/>'s step when the gradients
    /// are finite. Returns whether the step was taken. Call <see cref="Update"/> afterwards.
    /// </summary>
    public bool Step(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return Step(optimizer.parameters(), () => optimizer.step());
    }

    /// <summary>
    /// <see cref="Step(optim.Optimizer)"/> for an update that is not a TorchSharp optimizer (FAMR's proximal step, PGU's
    /// projected step): <paramref name="step"/> runs only when the gradients of <paramref name="parameters"/> are finite.
    /// </summary>
    public bool Step(IEnumerable<Tensor> parameters, Action step)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(step);
        if (Enabled && !_unscaled)
        {
            Unscale(parameters);
        }
        if (Enabled && _foundInf)
        {
            SkippedSteps++;
            return false;
        }
        step();
        return true;
    }

    /// <summary>Ends the iteration: backs the scale off after inf/NaN gradients, grows it after <see cref="GrowthInterval"/> clean steps.</summary>
    /// <exception cref="InvalidOperationException">No gradients were unscaled in this iteration (nothing to learn the schedule from).</exception>
    public void Update()
    {
        if (!Enabled)
        {
            return;
        }
        if (!_unscaled)
        {
            throw new InvalidOperationException("GradScaler.Update without Unscale or Step in this iteration: the scale can only follow gradients it has checked");
        }
        if (_foundInf)
        {
            CurrentScale *= BackoffFactor;
            GrowthTracker = 0;
        }
        else if (++GrowthTracker == GrowthInterval)
        {
            double grown = CurrentScale * GrowthFactor;
            if (double.IsFinite(grown))
            {
                CurrentScale = grown;
            }
            GrowthTracker = 0;
        }
        _unscaled = false;
        _foundInf = false;
    }
}
