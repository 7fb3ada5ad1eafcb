using System;
using System.Diagnostics;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad (Wu, Dobriban and Davidson, ICML 2020, arXiv 2006.14755): retrains after a small deletion
/// or addition by replaying the cached trajectory {w_t, g_t} of the original run. With B_t the original
/// batch (|B_t| = B), R_t the deleted (or A_t the added) samples in it, r = |R_t|, and F_{B_t} the mean
/// data loss over B_t:
/// <list type="bullet">
/// <item>Exact steps (t ≤ j0, or (t − j0) mod T0 = 0): compute ∇F_{B_t}(w^I_t) exactly on the original
/// batch, store s = w^I_t − w_t and y = ∇F_{B_t}(w^I_t) − g_t + λ s in the L-BFGS history (the weight decay's
/// curvature λI enters y, as in the authors' implementation), and take the exact step on the changed batch.</item>
/// <item>Other steps: ∇F_{B_t}(w^I_t) + λ w^I_t ≈ g_t + λ w_t + B_k (w^I_t − w_t) (paper eq. 4 with the
/// compact L-BFGS matrix B_k of the last m pairs), and the changed batch's gradient follows by removing
/// the deleted samples' exact gradients, [B ∇F_{B_t} − r ∇F_{R_t}] / (B − r) (for additions
/// [B ∇F_{B_t} + r ∇F_{A_t}] / (B + r)).</item>
/// </list>
/// The update is then w^I_{t+1} = w^I_t − η_t (ĝ + λ w^I_t), the recorded rule with the regulariser exact.
/// Full-batch gradient descent is the case B_t = whole training set. With T0 = 1 every step is exact and
/// the result is exact retraining.
/// </summary>
public sealed partial class DeltaGradUnlearner
{
    private readonly ILogger _logger;

    /// <summary>Creates the unlearner with <paramref name="options"/> (the paper's defaults when null).</summary>
    public DeltaGradUnlearner(DeltaGradOptions? options = null, ILogger<DeltaGradUnlearner>? logger = null)
    {
        Options = options ?? new DeltaGradOptions();
        Options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>T0, j0 and m.</summary>
    public DeltaGradOptions Options { get; }

    /// <summary>
    /// Replays <paramref name="trajectory"/> (recorded by <see cref="PlainTrainer"/> for
    /// <paramref name="model"/> on <paramref name="data"/>) with <paramref name="change"/> applied and
    /// returns w^I_T. <paramref name="model"/> serves as the gradient oracle: its parameters are
    /// overwritten and end at w^I_T. When <paramref name="updatedTrajectory"/> is given (empty), the
    /// replayed path — changed batch ids, w^I_t and the (exact or estimated) gradient of the changed batch —
    /// is recorded into it, so a later request can replay the updated path (the paper's online setting).
    /// </summary>
    /// <exception cref="TrajectoryFormatException">The trajectory belongs to another model or dataset.</exception>
    /// <exception cref="ArgumentException">A deleted id was not trained on, or an added id was.</exception>
    public DeltaGradOutcome Run(
        FlatModel model,
        SampleTable data,
        TrainingTrajectory trajectory,
        DatasetChange change,
        TrainingTrajectory? updatedTrajectory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(change);
        if (trajectory.StepCount == 0)
        {
            throw new ArgumentException("the trajectory has no steps to replay", nameof(trajectory));
        }
        trajectory.EnsureMatches(model.Identity, model.ParameterCount, data.Identity, data.Count);
        change.Validate(trajectory);
        if (updatedTrajectory is not null)
        {
            if (updatedTrajectory.StepCount != 0)
            {
                throw new ArgumentException("the trajectory to record the updated path into must be empty", nameof(updatedTrajectory));
            }
            updatedTrajectory.EnsureMatches(model.Identity, model.ParameterCount, data.Identity, data.Count);
        }

        var clock = Stopwatch.StartNew();
        BatchSchedule schedule = trajectory.Schedule();
        ChangePlan plan = change.Plan(schedule);
        bool deletion = change.Kind == DatasetChangeKind.Deletion;
        double lambda = trajectory.Metadata.WeightDecay;
        Device device = model.Device;
        ScalarType dtype = model.ScalarType;
        int exact = 0;
        int approximate = 0;
        int skipped = 0;

        using var history = new PairHistory(Options.History);
        using var gatherer = new BatchGatherer(data);
        using (torch.NewDisposeScope())
        {
            model.SetParameters(trajectory.ReadParameters(0, device, dtype));
        }
        Tensor w = model.Parameters;
        for (int t = 0; t < schedule.StepCount; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long[] original = schedule.BatchArray(t);
            long[] removed = plan.Removed[t];
            long[] added = plan.Added[t];
            long[] changed = plan.Retraining.BatchArray(t);
            int b = original.Length;
            if (changed.Length == 0)
            {
                skipped++;
                continue;
            }
            double rate = trajectory.LearningRate(t);
            using var scope = torch.NewDisposeScope();
            Tensor wt = trajectory.ReadParameters(t, device, dtype);
            Tensor gt = trajectory.ReadGradient(t, device, dtype);
            Tensor s = w.sub(wt);
            Tensor changedGradient;
            if (Options.IsExactStep(t) || history.Count == 0)
            {
                Tensor originalGradient;
                if (deletion)
                {
                    // Gradient of the remaining samples, and of the whole original batch for the history:
                    // ∇F_{B_t} = [(B − r) ∇F_{B_t∖R} + r ∇F_{R_t}] / B.
                    changedGradient = BatchGradient(model, gatherer, changed);
                    originalGradient = removed.Length == 0
                        ? changedGradient
                        : changedGradient.mul(b - removed.Length).add(Gradient(model, data, removed), alpha: removed.Length).div(b);
                }
                else
                {
                    originalGradient = BatchGradient(model, gatherer, original);
                    changedGradient = added.Length == 0
                        ? originalGradient
                        : originalGradient.mul(b).add(Gradient(model, data, added), alpha: added.Length).div(b + added.Length);
                }
                history.Push(s, originalGradient.sub(gt).add(s, alpha: lambda));
                exact++;
            }
            else
            {
                // Paper eq. 4: ∇F_{B_t}(w^I) + λ w^I ≈ g_t + λ w_t + B_k s, i.e. the data part is g_t + B_k s − λ s.
                // (x.sub(y, α) is x.add(y, −α) in libtorch, bit for bit; TorchSharp has only the add form.)
                Tensor estimate = gt.add(history.Hessian().Multiply(s)).add(s, alpha: -lambda);
                if (deletion)
                {
                    changedGradient = removed.Length == 0
                        ? estimate
                        : estimate.mul(b).add(Gradient(model, data, removed), alpha: -removed.Length).div(b - removed.Length);
                }
                else
                {
                    changedGradient = added.Length == 0
                        ? estimate
                        : estimate.mul(b).add(Gradient(model, data, added), alpha: added.Length).div(b + added.Length);
                }
                approximate++;
            }
            updatedTrajectory?.Append(changed, rate, w, changedGradient);
            using (torch.no_grad())
            {
                SgdUpdate.Apply(w, changedGradient, rate, lambda);
            }
        }
        TimeSpan elapsed = clock.Elapsed;
        LogReplayed(_logger, schedule.StepCount, exact, approximate, skipped, history.Skipped, elapsed.TotalMilliseconds);
        return new DeltaGradOutcome(w.clone(), change, elapsed, exact, approximate, skipped);
    }

    private static Tensor BatchGradient(FlatModel model, BatchGatherer gatherer, long[] ids)
    {
        var (inputs, labels) = gatherer.Get(ids);
        return model.Gradient(inputs, labels);
    }

    private static Tensor Gradient(FlatModel model, SampleTable data, long[] ids)
    {
        var (inputs, labels) = data.Gather(ids);
        return model.Gradient(inputs, labels);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DeltaGrad replayed {Steps} steps: {Exact} exact, {Approximate} approximate, {Skipped} skipped; {RejectedPairs} L-BFGS pairs rejected; {Milliseconds} ms")]
    private static partial void LogReplayed(ILogger logger, int steps, int exact, int approximate, int skipped, int rejectedPairs, double milliseconds);
}
