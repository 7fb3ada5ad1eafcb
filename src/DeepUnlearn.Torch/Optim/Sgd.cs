using System;
using System.Collections.Generic;
using System.Globalization;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, L2 weight decay, Nesterov momentum and
/// maximisation, exactly as <c>torch.optim.SGD</c>. For each parameter p with gradient g:
/// <code>
/// g ← −g                                  (maximize)
/// g ← g + weight_decay · p
/// b ← clone(g) on the first step, else b ← momentum · b + (1 − dampening) · g     (momentum ≠ 0)
/// g ← g + momentum · b (Nesterov), else g ← b
/// p ← p − lr · g
/// </code>
/// Options (per group): <c>lr</c>, <c>momentum</c>, <c>dampening</c>, <c>weight_decay</c>,
/// <c>nesterov</c>, <c>maximize</c>. State: <c>momentum_buffer</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] s_stateKeys = ["momentum_buffer"];

    /// <summary>SGD over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to optimise (borrowed).</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="momentum">Momentum factor, &gt;= 0 (0 disables momentum).</param>
    /// <param name="dampening">Dampening of the gradient's contribution to the momentum buffer.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening = 0).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this([new ParameterGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov, maximize)
    {
    }

    /// <summary>SGD over several groups; the arguments are the defaults for options a group does not set.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="momentum">Momentum factor, &gt;= 0 (0 disables momentum).</param>
    /// <param name="dampening">Dampening of the gradient's contribution to the momentum buffer.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening = 0).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public Sgd(IEnumerable<ParameterGroup> groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov ? 1 : 0,
            ["maximize"] = maximize ? 1 : 0,
        })
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> TensorStateKeys => s_stateKeys;

    /// <inheritdoc />
    protected override void Validate(ParameterGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        RequireNonNegative(group, "lr");
        RequireNonNegative(group, "momentum");
        RequireNonNegative(group, "weight_decay");
        RequireFlag(group, "nesterov");
        RequireFlag(group, "maximize");
        double dampening = group["dampening"];
        if (!double.IsFinite(dampening))
        {
            throw new ArgumentOutOfRangeException("dampening", dampening, "dampening must be a finite number");
        }
        if (group.Flag("nesterov") && (group["momentum"] <= 0 || dampening != 0))
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum {group["momentum"]}, dampening {dampening})"));
        }
    }

    /// <inheritdoc />
    protected override void Update(ParameterGroup group, int index, Tensor parameter, Tensor grad)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(grad);
        double lr = group.LearningRate;
        double momentum = group["momentum"];
        double dampening = group["dampening"];
        double weightDecay = group["weight_decay"];

        Tensor d = group.Flag("maximize") ? grad.Neg() : grad;
        if (weightDecay != 0)
        {
            d = d.Add(parameter, weightDecay);
        }
        if (momentum != 0)
        {
            Tensor? buffer = GetState(index, "momentum_buffer");
            if (buffer is null)
            {
                buffer = SetState(index, "momentum_buffer", d.Clone());
            }
            else
            {
                buffer.MulInPlace(momentum).AddInPlace(d, 1 - dampening);
            }
            d = group.Flag("nesterov") ? d.Add(buffer, momentum) : buffer;
        }
        parameter.AddInPlace(d, -lr);
    }
}
