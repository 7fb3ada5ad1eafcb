using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.Famr;

/// <summary>
/// FAMR, Forget-Aligned Model Reconstruction (Sanga, Singh and Dubey, "Train Once, Forget Precisely:
/// Anchored Optimization for Efficient Post-Hoc Unlearning", arXiv 2506.14515): drive the predictions on the
/// forget set D_f to the uniform distribution u while an l2 anchor keeps θ near the original θ0,
/// <code>
/// min_θ  (1/|D_f|) Σ_{x∈D_f} KL(u ‖ softmax(f_θ(x)))  +  (ρ/2)·‖θ − θ0‖².
/// </code>
/// Every step applies the chosen optimizer to the gradient of that whole objective on a batch of D_f,
/// ∇L_KL(θ) + ρ(θ − θ0) (<see cref="FamrUpdate"/>): SGD, with or without heavy-ball momentum, takes the anchor's
/// term implicitly (a proximal step, stable for every ρ ≥ 0 and exactly θ0 as ρ → ∞); Adam takes it explicitly.
/// Either way the run can only come to rest where ∇L_KL(θ) + ρ(θ − θ0) = 0, the objective's stationary point.
/// (Before issue 10 the anchor was a proximal step after the optimizer's step on the KL term alone, which has
/// that fixed point for plain SGD only: with momentum μ it stopped at ∇L_KL + ρ(1 − μ)(θ − θ0) = 0, a ten times
/// weaker anchor at μ = 0.9, and with Adam at a point unrelated to ρ.)
/// <para>
/// BatchNorm: the model runs in evaluation mode throughout, so batch normalisation uses (and keeps) the
/// original running statistics. Batches drawn from D_f alone (for class forgetting, a single class) would
/// otherwise normalise with forget-set statistics and overwrite the running estimates the retained classes
/// depend on, which the anchor cannot undo because buffers are not parameters. Affine BN parameters (γ, β)
/// are trained and anchored like every other parameter. Dropout is off for the same reason (a deterministic
/// f_θ, as in the objective).
/// </para>
/// <para>
/// Options beyond the paper (see <see cref="FamrOptions"/>): <c>parameters = head</c> optimises the
/// classification head only, computing the features without gradients; <c>stop_at_forget_accuracy</c> ends
/// the run after the first epoch whose accuracy on D_f is at or below the given percentage.
/// </para>
/// Diagnostics: <c>param_distance_to_original</c> = ‖θ − θ0‖₂ over all parameters, <c>steps</c>,
/// <c>epochs</c>, <c>final_kl</c> (the KL term of the last reported batch) and, with the stopping rule,
/// <c>stop_forget_accuracy</c> (the last accuracy on D_f it measured).
/// </summary>
public sealed partial class FamrMethod(FamrOptions options) : IUnlearningMethod
{
    private const int ReportEvery = 10;
    private const int EvalBatchSize = 500;

    /// <inheritdoc />
    public string Name => "famr";

    /// <summary>The options in force.</summary>
    public FamrOptions Options { get; } = options;

    /// <summary>
    /// KL(u ‖ softmax(z)) for each row of <paramref name="logits"/> [N, K], with u uniform over the K columns:
    /// Σ_k u_k·log(u_k / p_k) = −log K − (1/K)·Σ_k log p_k. Its gradient with respect to z is softmax(z) − u.
    /// Reduced over the rows by <paramref name="reduction"/> (the mean is the FAMR forget term of a batch).
    /// </summary>
    public static Tensor UniformKl(Tensor logits, nn.Reduction reduction = nn.Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2)
        {
            throw new ArgumentException($"logits must be [N, K], got [{string.Join(", ", logits.shape)}]", nameof(logits));
        }
        long k = logits.size(1);
        using Tensor logP = nn.functional.log_softmax(logits, 1);
        using Tensor meanLogP = logP.mean([1L]);
        using Tensor perSample = meanLogP.neg();
        Tensor kl = perSample.sub(Math.Log(k));
        if (reduction == nn.Reduction.None)
        {
            return kl;
        }
        using (kl)
        {
            return reduction == nn.Reduction.Sum ? kl.sum() : kl.mean();
        }
    }

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options.Validate();
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        var anchors = new List<Tensor>();
        try
        {
            // BatchNorm keeps θ0's running statistics (see the class remarks).
            model.eval();
            bool headOnly = Options.Parameters == FamrParameters.Head;
            List<Parameter> parameters = (headOnly ? model.Head.parameters() : model.parameters()).Where(p => p.requires_grad).ToList();
            using (torch.no_grad())
            {
                foreach (Parameter p in parameters)
                {
                    anchors.Add(p.clone().DetachFromDisposeScope()); // θ0
                }
            }
            using var update = new FamrUpdate(parameters, anchors, Options);

            using DataLoader forget = context.ForgetLoader(Options.BatchSize, shuffle: true, augment: false);
            int totalSteps = Options.Steps ?? Options.Epochs * forget.BatchCount;
            using DataLoader? check = Options.StopAtForgetAccuracy is null ? null : context.ForgetLoader(EvalBatchSize, shuffle: false);
            MixedPrecision amp = context.Precision.Start();
            int step = 0;
            long images = 0;
            int epochs = 0;
            double lastKl = double.NaN;
            double forgetAccuracy = double.NaN;
            while (step < totalSteps)
            {
                int epoch = epochs++;
                foreach (Batch batch in forget.Epoch(epoch, cancellationToken))
                {
                    using var scope = torch.NewDisposeScope();
                    model.zero_grad();
                    Tensor logits = headOnly ? HeadLogits(model, batch.Images, amp) : amp.Forward(model, batch.Images);
                    Tensor kl = UniformKl(logits); // (1/|B|) Σ_{x∈B} KL(u ‖ softmax(f_θ(x)))
                    amp.Backward(kl);
                    amp.Step(parameters, update.Step); // on ∇L_KL + ρ(θ − θ0)
                    step++;
                    images += batch.Count;
                    if (step % ReportEvery == 0 || step == totalSteps)
                    {
                        lastKl = kl.ToDouble();
                        DivergenceGuard.CheckLoss(Name, "forget KL", lastKl, epoch, step - 1, DivergenceGuard.Hint(Name, Options));
                        context.Report(Name, "forget", step, totalSteps, lastKl, images);
                    }
                    if (step == totalSteps)
                    {
                        break;
                    }
                }
                if (check is not null)
                {
                    forgetAccuracy = ModelEvaluator.Predict(model, check, cancellationToken).AccuracyPercent();
                    LogForgetAccuracy(context.Logger(Name), epochs, step, forgetAccuracy);
                    if (forgetAccuracy <= Options.StopAtForgetAccuracy)
                    {
                        context.Report(Name, "forget", step, step, lastKl, images); // done early: close the progress bar
                        break;
                    }
                }
            }
            model.zero_grad();
            model.train();
            var diagnostics = new Dictionary<string, double>
            {
                ["steps"] = step,
                ["epochs"] = epochs,
                ["final_kl"] = lastKl,
                ["param_distance_to_original"] = Distance(parameters, anchors),
            };
            if (check is not null)
            {
                diagnostics["stop_forget_accuracy"] = forgetAccuracy;
            }
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, diagnostics);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (Tensor anchor in anchors)
            {
                anchor.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "famr: forget accuracy {Accuracy:F2}% after epoch {Epoch} ({Steps} steps)")]
    private static partial void LogForgetAccuracy(ILogger logger, int epoch, int steps, double accuracy);

    /// <summary>The logits with gradients for the head only: the features are computed without a graph.</summary>
    private static Tensor HeadLogits(ClassifierModel model, Tensor images, MixedPrecision amp)
    {
        Tensor features;
        using (torch.no_grad())
        {
            features = amp.Run(images, model.Features);
        }
        return amp.Run(features, model.Head.call);
    }

    /// <summary>‖θ − θ0‖₂ over all the listed parameters.</summary>
    private static double Distance(List<Parameter> parameters, List<Tensor> anchors)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double squared = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            squared += parameters[i].sub(anchors[i]).to(ScalarType.Float64).square().sum().ToDouble();
        }
        return Math.Sqrt(squared);
    }
}
