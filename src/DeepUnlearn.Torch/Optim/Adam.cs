using System;
using System.Collections.Generic;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2015) with L2 weight decay, AMSGrad and maximisation, exactly as
/// <c>torch.optim.Adam</c> (the single-tensor loop). For each parameter p with gradient g, at step t:
/// <code>
/// g ← −g                                  (maximize)
/// g ← g + weight_decay · p                (Adam; AdamW decays p instead, see <see cref="AdamW"/>)
/// m ← β1 · m + (1 − β1) · g
/// v ← β2 · v + (1 − β2) · g²
/// v̂max ← max(v̂max, v), and v is replaced by v̂max below  (amsgrad)
/// denom ← √v / √(1 − β2^t) + eps
/// p ← p − lr / (1 − β1^t) · m / denom
/// </code>
/// Options (per group): <c>lr</c>, <c>beta1</c>, <c>beta2</c>, <c>eps</c>, <c>weight_decay</c>,
/// <c>amsgrad</c>, <c>maximize</c>. State: <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>,
/// <c>max_exp_avg_sq</c> (amsgrad).
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] s_tensorKeys = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];
    private static readonly string[] s_scalarKeys = ["step"];
    private readonly bool _decoupledWeightDecay;

    /// <summary>Adam over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to optimise (borrowed).</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (Reddi et al., 2018).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this([new ParameterGroup(parameters)], lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Adam over several groups; the arguments are the defaults for options a group does not set.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (Reddi et al., 2018).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public Adam(IEnumerable<ParameterGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: false)
    {
    }

    private protected Adam(IEnumerable<ParameterGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool maximize, bool decoupledWeightDecay)
        : base(groups, new Dictionary<string, double>
        {
            ["lr"] = lr,
            ["beta1"] = beta1,
            ["beta2"] = beta2,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["amsgrad"] = amsgrad ? 1 : 0,
            ["maximize"] = maximize ? 1 : 0,
        })
    {
        _decoupledWeightDecay = decoupledWeightDecay;
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> TensorStateKeys => s_tensorKeys;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateKeys => s_scalarKeys;

    /// <inheritdoc />
    protected override void Validate(ParameterGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        RequireNonNegative(group, "lr");
        RequireNonNegative(group, "eps");
        RequireInRange(group, "beta1", 0, 1);
        RequireInRange(group, "beta2", 0, 1);
        RequireNonNegative(group, "weight_decay");
        RequireFlag(group, "amsgrad");
        RequireFlag(group, "maximize");
    }

    /// <inheritdoc />
    protected override void Update(ParameterGroup group, int index, Tensor parameter, Tensor grad)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(grad);
        double lr = group.LearningRate;
        double beta1 = group["beta1"];
        double beta2 = group["beta2"];
        double eps = group["eps"];
        double weightDecay = group["weight_decay"];
        bool amsgrad = group.Flag("amsgrad");

        Tensor expAvg = GetState(index, "exp_avg") ?? SetState(index, "exp_avg", parameter.ZerosLike());
        Tensor expAvgSq = GetState(index, "exp_avg_sq") ?? SetState(index, "exp_avg_sq", parameter.ZerosLike());
        double step = (GetScalarState(index, "step") ?? 0) + 1;
        SetScalarState(index, "step", step);

        Tensor g = group.Flag("maximize") ? grad.Neg() : grad;
        if (_decoupledWeightDecay)
        {
            // AdamW (Loshchilov and Hutter, 2019): decay the weights, not the gradient.
            parameter.MulInPlace(1 - lr * weightDecay);
        }
        else if (weightDecay != 0)
        {
            g = g.Add(parameter, weightDecay);
        }

        expAvg.MulInPlace(beta1).AddInPlace(g, 1 - beta1);
        expAvgSq.MulInPlace(beta2).AddCMulInPlace(g, g, 1 - beta2);

        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);

        Tensor second = expAvgSq;
        if (amsgrad)
        {
            Tensor max = GetState(index, "max_exp_avg_sq") ?? SetState(index, "max_exp_avg_sq", parameter.ZerosLike());
            max.MaximumInPlace(expAvgSq);
            second = max;
        }
        // As PyTorch: eps is added after dividing √v by √(bias correction 2).
        Tensor denom = second.Sqrt().DivInPlace(biasCorrection2Sqrt).AddInPlace(eps);
        parameter.AddCDivInPlace(expAvg, denom, -stepSize);
    }
}
