using System;
using System.Collections.Generic;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// The precision and layout a run follows, resolved from <see cref="PrecisionOptions"/> for its device and model:
/// the autocast dtype of forward passes (null: float32), whether losses are scaled (float16), and whether convolution
/// weights and inputs are channels-last. Immutable; <see cref="Start"/> makes the per-run state (the loss scaler).
/// <see cref="Off"/> (float32, contiguous) is the library's default, so code that does not ask gets exactly the float32
/// computation.
/// </summary>
/// <param name="AutocastDtype">bfloat16 or float16 for the forward passes, or null for float32.</param>
/// <param name="LossScaling">Whether a <see cref="GradScaler"/> scales losses (float16 only).</param>
/// <param name="ChannelsLast">Whether 4-D weights and inputs use the channels-last layout.</param>
/// <param name="Reason">Why this policy (the option, or what auto found), for run.json and the console.</param>
public sealed record PrecisionPolicy(torch.ScalarType? AutocastDtype, bool LossScaling, bool ChannelsLast, string Reason)
{
    /// <summary>Float32, contiguous: the computation without any of this.</summary>
    public static PrecisionPolicy Off { get; } = new(null, false, false, "off");

    /// <summary>Whether this policy changes nothing.</summary>
    public bool IsOff => AutocastDtype is null && !ChannelsLast;

    /// <summary>The precision as the CLI spells it: off, bf16 or fp16.</summary>
    public string AmpName => AutocastDtype switch
    {
        torch.ScalarType.BFloat16 => "bf16",
        torch.ScalarType.Float16 => "fp16",
        _ => "off",
    };

    /// <summary>
    /// The policy for passes that measure gradients without taking steps (SSD's importances, SalUn's saliency): no loss
    /// scaling, so float16 becomes float32 there (unscaled float16 gradients below ~6e-8 would flush to zero and change
    /// which weights are selected); bfloat16 (float32's range) and the layout stay.
    /// </summary>
    public PrecisionPolicy ForGradientMeasurement() => LossScaling || AutocastDtype == torch.ScalarType.Float16
        ? this with { AutocastDtype = null, LossScaling = false, Reason = Reason + "; float32 for gradient measurements" }
        : this;

    /// <summary>The per-run state: a fresh loss scaler (enabled for float16).</summary>
    public MixedPrecision Start() => new(this);

    /// <summary>
    /// Puts <paramref name="model"/>'s weights in this policy's layout (channels-last convolution weights, in place,
    /// keeping every Parameter object: see <see cref="MemoryLayout.ToChannelsLast(torch.nn.Module)"/>). A no-op otherwise.
    /// </summary>
    public void Prepare(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (ChannelsLast)
        {
            MemoryLayout.ToChannelsLast(model);
        }
    }

    /// <summary>The policy for run.json: amp, loss_scaling, channels_last, reason.</summary>
    public IReadOnlyDictionary<string, object?> Describe() => new Dictionary<string, object?>
    {
        ["amp"] = AmpName,
        ["loss_scaling"] = LossScaling,
        ["channels_last"] = ChannelsLast,
        ["reason"] = Reason,
    };

    /// <summary>One line for the console: e.g. "amp bf16, channels-last".</summary>
    public override string ToString() => $"amp {AmpName}{(LossScaling ? " (loss scaling)" : string.Empty)}, {(ChannelsLast ? "channels-last" : "contiguous")}";
}
