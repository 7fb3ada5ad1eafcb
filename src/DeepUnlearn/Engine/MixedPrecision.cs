using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Engine;

/// <summary>
/// A training or unlearning loop's view of its <see cref="PrecisionPolicy"/>: the one place where loops get autocast,
/// channels-last inputs and loss scaling, so that each loop changes only its forward, backward and step calls:
/// <code>
/// Tensor logits = amp.Forward(model, batch.Images);   // was model.call(batch.Images); float32 logits
/// Tensor loss = ...;                                   // losses in float32, outside autocast
/// optimizer.zero_grad();
/// amp.Backward(loss);                                  // was loss.backward()
/// amp.Step(optimizer, beforeStep);                     // was beforeStep(); optimizer.step()
/// </code>
/// With <see cref="PrecisionPolicy.Off"/> every call is the plain operation, bit for bit. Under float16 the step is
/// skipped when the unscaled gradients hold inf or NaN and the scale backs off (<see cref="GradScaler"/>); the hooks
/// that read gradients (<c>beforeStep</c>, custom updates) always see unscaled gradients. Make one per loop (the scale
/// carries from step to step) on the thread that runs the forward passes.
/// </summary>
public sealed class MixedPrecision
{
    [ThreadStatic]
    private static long t_reducedPrecisionForwards;

    /// <summary>The state for one loop under <paramref name="policy"/>.</summary>
    public MixedPrecision(PrecisionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Scaler = new GradScaler(enabled: policy.LossScaling);
    }

    /// <summary>The policy followed.</summary>
    public PrecisionPolicy Policy { get; }

    /// <summary>The loss scaler (disabled unless float16).</summary>
    public GradScaler Scaler { get; }

    /// <summary>
    /// Forward passes on this thread whose output came out of autocast in bfloat16 or float16: how tests see that a
    /// loop they cannot reach into really ran its matmuls in reduced precision.
    /// </summary>
    internal static long ReducedPrecisionForwardsOnThisThread => t_reducedPrecisionForwards;

    /// <summary>Steps skipped for inf/NaN gradients under float16 (0 otherwise).</summary>
    public long SkippedSteps => Scaler.SkippedSteps;

    /// <summary>
    /// <paramref name="model"/> on <paramref name="input"/> under the policy: the input in channels-last layout when the
    /// policy says so, the forward inside an autocast region on the input's device, and a reduced-precision output cast
    /// back to float32 (so losses and their log-sum-exps run in float32, as PyTorch's autocast does for them).
    /// Forward hooks fire as usual (through <c>call()</c>); under autocast they see the layer inputs the kernels get.
    /// </summary>
    public Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        return Run(input, x => model.call(x));
    }

    /// <summary>
    /// <see cref="Forward"/> for any forward function (a model's feature extractor, a head on features):
    /// <paramref name="forward"/> runs on the prepared input inside the autocast region.
    /// </summary>
    public Tensor Run(Tensor input, Func<Tensor, Tensor> forward)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(forward);
        if (Policy.IsOff)
        {
            return forward(input);
        }
        Tensor x = Policy.ChannelsLast && input.dim() == 4 ? MemoryLayout.ToChannelsLast(input) : input;
        Tensor output;
        if (Policy.AutocastDtype is ScalarType dtype)
        {
            using (Autocast.Enter(input.device_type, dtype))
            {
                output = forward(x);
            }
        }
        else
        {
            output = forward(x);
        }
        if (output.dtype is ScalarType.BFloat16 or ScalarType.Float16)
        {
            t_reducedPrecisionForwards++;
            return output.to(ScalarType.Float32);
        }
        return output;
    }

    /// <summary>Backward of <paramref name="loss"/>, scaled by the loss scale under float16.</summary>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!Scaler.Enabled)
        {
            loss.backward();
            return;
        }
        using var scope = torch.NewDisposeScope();
        Scaler.Scale(loss).backward();
    }

    /// <summary>
    /// The update after <see cref="Backward"/>: unscales the gradients (float16), then, unless they hold inf or NaN,
    /// runs <paramref name="beforeStep"/> (an observer or a gradient mask, which sees true gradients) and
    /// <paramref name="optimizer"/>'s step; then updates the loss scale. Returns whether the step was taken (always,
    /// unless float16 found inf/NaN).
    /// </summary>
    public bool Step(optim.Optimizer optimizer, Action? beforeStep = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return Step(optimizer.parameters(), () =>
        {
            beforeStep?.Invoke();
            optimizer.step();
        });
    }

    /// <summary>
    /// <see cref="Step(optim.Optimizer, Action?)"/> for an update that is not a TorchSharp optimizer (FAMR's, PGU's):
    /// <paramref name="update"/> runs on unscaled, finite gradients of <paramref name="parameters"/>.
    /// </summary>
    public bool Step(IEnumerable<Tensor> parameters, Action update)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(update);
        if (!Scaler.Enabled)
        {
            update();
            return true;
        }
        bool stepped = Scaler.Step(parameters, update);
        Scaler.Update();
        return stepped;
    }
}
