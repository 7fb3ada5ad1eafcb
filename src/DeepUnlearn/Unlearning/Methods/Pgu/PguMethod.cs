using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// Projected-Gradient Unlearning, PGU (Hoang, Rana, Gupta and Venkatesh, "Learn to Unlearn for Deep Neural
/// Networks: Minimizing Unlearning Interference with Gradient Projection", WACV 2024, arXiv 2312.04095),
/// following the authors' code (github.com/hnanhtuan/projected_gradient_unlearning, <c>unlearn.py</c>,
/// <c>unlearn_class.py</c>, <c>utils/unlearn_utils.py</c>).
/// <para>
/// Retain space. For a layer with weight W ([out, in], or [out, in·k·k] for a convolution) the output on an
/// input x is W·x; an update ΔW leaves it unchanged iff ΔW·x = 0. For each conv / linear layer l, with X_l
/// the matrix of its inputs (a convolution's inputs unfolded into the patches it sees: same kernel, stride,
/// padding and dilation):
/// <code>
/// R_D = X_lᵀX_l over D            (the whole training set, D_r ∪ D_f)
/// R_f = X_lᵀX_l over D_f
/// R_r = R_D − R_f = U·diag(σ²)·Uᵀ  (eigendecomposition, σ descending; negative noise clamped to 0)
/// k   = the first k with Σ_{i≤k} σ_i / Σ_i σ_i &gt; ε   (<c>retained_var</c> ε; the code's rule, on σ, not σ²)
/// P_l = U_k·U_kᵀ
/// </code>
/// R_D can be computed once after training and stored, so unlearning itself needs only D_f. Here both are
/// estimated from seeded sub-samples rescaled to their sets' sizes (<see cref="PguOptions.CovarianceSamples"/>;
/// 0 = every sample, when R_D − R_f is exactly the retain covariance). The paper's code unfolds with stride 1
/// and dilation 1 whatever the convolution's; we use the convolution's own, which is the set of patches
/// the weights actually multiply.
/// </para>
/// <para>
/// Forget loss (the code's, per batch B of D_f, p = softmax(f_θ(x))):
/// <code>
/// L = w1·(1/|B|)·Σ −log(1 − (p_y − δ))  +  w2·(1/|B|)·Σ_k p_k·log p_k
/// </code>
/// pushing down the confidence in the true label and pushing up the entropy. Each step (plain SGD with an
/// exponentially decaying learning rate) updates every projected weight by its gradient with the retain space
/// projected out,
/// <code>
/// G ← ∇_W L + wd·W;   G ← G − G·P_l;   W ← W − η·G
/// </code>
/// and nothing else: biases and BatchNorm parameters keep their values (the code zeroes their gradients), and
/// BatchNorm runs in evaluation mode with the original running statistics. Grouped convolutions (none in the
/// built-in models) are left unchanged, as their weights do not multiply the full unfolded patch.
/// </para>
/// <para>
/// Stopping (checked after every epoch, or every <see cref="PguOptions.EvalEvery"/> steps, on seeded subsets):
/// forgetting is done when the accuracy on D_f reaches the accuracy a model that never saw D_f would have.
/// For sample-wise requests that is the current model's accuracy on held-out data (the validation ids, or
/// the test split when there are none), as in <c>unlearn.py</c>, which then keeps whichever of the current
/// and the previous checkpoint is closer to it. For class-wise requests it is 0 (a model retrained without
/// the class does not predict it), reached at or below <see cref="PguOptions.ClassTargetTolerance"/>. Unlearning also stops, keeping the current model, when the accuracy on a
/// retain subset has dropped by more than <see cref="PguOptions.RetainDropLimit"/> points (the early stop of
/// <c>unlearn_class.py</c>), and after <see cref="PguOptions.Epochs"/> epochs.
/// </para>
/// </summary>
public sealed partial class PguMethod(PguOptions options) : IUnlearningMethod
{
    private const int EvalBatchSize = 256;

    /// <inheritdoc />
    public string Name => "pgu";

    /// <summary>The options in force.</summary>
    public PguOptions Options { get; } = options;

    /// <summary>
    /// P = U_k·U_kᵀ for a symmetric positive semi-definite input covariance R = U·diag(σ²)·Uᵀ: the span of the
    /// leading singular directions whose singular values σ first exceed the share <paramref name="retainedEnergy"/>
    /// of Σσ (PGU's rule). Returns P (same dtype and device as <paramref name="covariance"/>) and k.
    /// </summary>
    public static (Tensor Projection, int Rank) ProjectionMatrix(Tensor covariance, double retainedEnergy)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.dim() != 2 || covariance.size(0) != covariance.size(1))
        {
            throw new ArgumentException($"the covariance must be square, got [{string.Join(", ", covariance.shape)}]", nameof(covariance));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedEnergy);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retainedEnergy, 1.0);
        int d = (int)covariance.size(0);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (eigenvalues, eigenvectors) = Linalg.Eigh(covariance);
        Tensor sigma = eigenvalues.flip(0).clamp(min: 0).sqrt(); // σ_i, descending
        Tensor u = eigenvectors.flip(1);
        double total = sigma.Sum().ToDouble();
        int k = 0;
        if (total > 0)
        {
            Tensor ratio = sigma.cumsum(0).div(total);
            k = Math.Min(d, (int)ratio.le(retainedEnergy).Sum().ToInt64() + 1);
        }
        Tensor projection;
        if (k == 0)
        {
            projection = torch.zeros([d, d], covariance.dtype, covariance.Device);
        }
        else
        {
            Tensor uk = u.narrow(1, 0, k);
            projection = uk.mm(uk.T());
        }
        return (projection.MoveToOuterDisposeScope(), k);
    }

    /// <summary>
    /// One PGU update of <paramref name="weight"/> from its gradient: G ← ∇W + wd·W, G ← G − G·P (rows of G
    /// reshaped to [out, in·k·k] for a convolution), W ← W − η·G. Outputs W·x on inputs x in the span of P are
    /// unchanged. Does nothing when the weight has no gradient.
    /// </summary>
    public static void ProjectedStep(Tensor weight, Tensor projection, double learningRate, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(projection);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor? grad = weight.grad;
        if (grad is null)
        {
            return;
        }
        long rows = weight.size(0);
        Tensor g = weightDecay == 0 ? grad : grad.Add(weight, weightDecay);
        Tensor g2 = g.reshape(rows, -1);
        if (g2.size(1) != projection.size(0))
        {
            throw new ArgumentException($"the projection is [{string.Join(", ", projection.shape)}] but the weight has {g2.size(1)} inputs per output", nameof(projection));
        }
        Tensor projected = g2.sub(g2.mm(projection)); // G − G·P
        weight.sub_(projected.reshape(weight.shape), learningRate);
    }

    /// <summary>
    /// PGU's forget loss of a batch: w1·mean(−log(1 − (p_y − δ))) + w2·mean(Σ_k p_k log p_k), p = softmax(logits).
    /// 1 − p_y is computed as exp(logsumexp_{k≠y} z_k − logsumexp_k z_k) rather than by subtraction, so a
    /// confidently classified sample keeps its (small) gradient instead of rounding p_y to 1.
    /// </summary>
    public static Tensor ForgetLoss(Tensor logits, Tensor labels, double offset, double confidenceWeight, double entropyWeight)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = torch.NewDisposeScope();
        Tensor logP = nn.functional.log_softmax(logits, 1);
        Tensor isLabel = torch.nn.functional.one_hot(labels, logits.size(1)).gt(0);
        Tensor logOthers = logits.masked_fill(isLabel, double.NegativeInfinity).logsumexp(1).sub(logits.logsumexp(1)); // log(1 − p_y)
        Tensor confidence = logOthers.exp().Add(offset).log().neg().mean();  // −log(1 − (p_y − δ))
        Tensor negativeEntropy = logP.exp().mul(logP).Sum(1).mean();         // Σ_k p_k log p_k
        Tensor loss = confidence.mul(confidenceWeight).Add(negativeEntropy.mul(entropyWeight));
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options.Validate();
        var clock = Stopwatch.StartNew();
        ILogger logger = context.Logger(Name);
        ClassifierModel model = context.CopyOriginal();
        var projections = new List<Tensor>();
        var snapshot = new List<Tensor>();
        var frozen = new List<Tensor>();
        try
        {
            List<ProjectedLayer> layers = ProjectedLayers(model, logger);
            if (layers.Count == 0)
            {
                throw new InvalidOperationException($"pgu found no convolution or linear layer to update in {model.GetType().Name}");
            }

            // Retain space of every layer: R_r = R_D − R_f, P_l = U_k U_kᵀ.
            model.Eval();
            int[] allIds = [.. context.RetainIds, .. context.ForgetIds];
            long rank = 0;
            long dims = 0;
            {
                using CovarianceSet full = Covariances(context, model, layers, allIds, 0, cancellationToken);
                using CovarianceSet forget = Covariances(context, model, layers, context.ForgetIds, 1, cancellationToken);
                for (int l = 0; l < layers.Count; l++)
                {
                    using var scope = torch.NewDisposeScope();
                    Tensor retain = full.Matrices[l].sub(forget.Matrices[l]);
                    var (p, k) = ProjectionMatrix(retain, Options.RetainedEnergy);
                    projections.Add(p.to(ScalarType.Float32).DetachFromDisposeScope());
                    rank += k;
                    dims += layers[l].Inputs;
                    LogLayer(logger, layers[l].Name, k, layers[l].Inputs);
                }
            }

            // Only the projected weights move; everything else keeps θ0's values (and needs no gradient).
            var moving = new HashSet<Tensor>(layers.Select(l => l.Weight), ReferenceEqualityComparer.Instance);
            foreach (Tensor p in model.Parameters())
            {
                if (p.requires_grad && !moving.Contains(p))
                {
                    p.requires_grad = false;
                    frozen.Add(p);
                }
            }

            using var stopping = new StoppingRule(context, Options.EvalSamples, Options.ClassTargetTolerance);
            double retainStart = stopping.RetainAccuracy(model, cancellationToken);
            double forgetAccuracy = stopping.ForgetAccuracy(model, cancellationToken);
            double target = stopping.TargetAccuracy(model, cancellationToken);
            double previousGap = forgetAccuracy - target;
            TakeSnapshot(layers, snapshot);

            int step = 0;
            int epochsRun = 0;
            double lastLoss = double.NaN;
            string outcome = "epochs";
            bool done = previousGap <= stopping.Tolerance;
            if (done)
            {
                outcome = "already_at_target";
            }
            using DataLoader forgetLoader = context.ForgetLoader(Options.BatchSize, shuffle: true, augment: false);
            int totalSteps = Options.Epochs * forgetLoader.BatchCount;
            for (int epoch = 0; epoch < Options.Epochs && !done; epoch++)
            {
                // η_e = η_start·(η_end/η_start)^(e/E), the code's per-epoch exponential decay.
                double lr = Options.StartLearningRate * Math.Pow(Options.EndLearningRate / Options.StartLearningRate, (double)epoch / Options.Epochs);
                TrainMode(model);
                foreach (Batch batch in forgetLoader.Epoch(epoch, cancellationToken))
                {
                    using (var scope = torch.NewDisposeScope())
                    {
                        model.zero_grad();
                        Tensor logits = model.call(batch.Images);
                        Tensor loss = ForgetLoss(logits, batch.Labels, Options.Offset, Options.ConfidenceWeight, Options.EntropyWeight);
                        loss.backward();
                        for (int l = 0; l < layers.Count; l++)
                        {
                            ProjectedStep(layers[l].Weight, projections[l], lr, Options.WeightDecay); // G ← G − G·P_l
                        }
                        step++;
                        lastLoss = loss.ToDouble();
                        if (step % 10 == 0)
                        {
                            context.Report(Name, "forget", step, totalSteps, lastLoss);
                        }
                    }
                    if (Options.EvalEvery > 0 && step % Options.EvalEvery == 0)
                    {
                        (done, outcome) = Check();
                        if (done)
                        {
                            break;
                        }
                        TrainMode(model);
                    }
                }
                epochsRun = epoch + 1;
                if (!done && Options.EvalEvery == 0)
                {
                    (done, outcome) = Check();
                }
            }
            if (done && step < totalSteps)
            {
                context.Report(Name, "forget", step, step, lastLoss); // stopped early: close the progress bar
            }
            model.zero_grad();
            model.Train();
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["steps"] = step,
                ["epochs"] = epochsRun,
                ["final_loss"] = lastLoss,
                ["stop_forget_accuracy"] = forgetAccuracy,
                ["stop_target_accuracy"] = target,
                ["target_reached"] = outcome is "target" or "already_at_target" ? 1 : 0,
                ["retain_guard_stopped"] = outcome == "retain_guard" ? 1 : 0,
                ["retain_rank_fraction"] = dims == 0 ? 0 : (double)rank / dims,
            });

            // The stopping rule: forget accuracy at the target (keep the closer of this and the previous
            // check), or the retain guard, else carry on from here.
            (bool Done, string Outcome) Check()
            {
                double current = stopping.ForgetAccuracy(model, cancellationToken);
                double currentTarget = stopping.TargetAccuracy(model, cancellationToken);
                double gap = current - currentTarget;
                if (gap <= stopping.Tolerance)
                {
                    if (Math.Abs(previousGap) < Math.Abs(gap))
                    {
                        RestoreSnapshot(layers, snapshot);
                    }
                    else
                    {
                        forgetAccuracy = current;
                        target = currentTarget;
                    }
                    return (true, "target");
                }
                forgetAccuracy = current;
                target = currentTarget;
                if (retainStart - stopping.RetainAccuracy(model, cancellationToken) > Options.RetainDropLimit)
                {
                    return (true, "retain_guard");
                }
                previousGap = gap;
                TakeSnapshot(layers, snapshot);
                return (false, "epochs");
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (Tensor p in frozen)
            {
                if (!p.IsInvalid)
                {
                    p.requires_grad = true;
                }
            }
            foreach (Tensor t in projections.Concat(snapshot))
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Training mode for dropout, evaluation mode (frozen running statistics) for BatchNorm.</summary>
    private static void TrainMode(ClassifierModel model)
    {
        model.Train();
        foreach (var (_, module) in model.NamedModules())
        {
            if (module is BatchNorm2d)
            {
                module.Eval();
            }
        }
    }

    private static void TakeSnapshot(List<ProjectedLayer> layers, List<Tensor> snapshot)
    {
        using var noGrad = torch.no_grad();
        if (snapshot.Count == 0)
        {
            foreach (ProjectedLayer layer in layers)
            {
                snapshot.Add(layer.Weight.clone().DetachFromDisposeScope());
            }
            return;
        }
        for (int l = 0; l < layers.Count; l++)
        {
            snapshot[l].copy_(layers[l].Weight);
        }
    }

    private static void RestoreSnapshot(List<ProjectedLayer> layers, List<Tensor> snapshot)
    {
        using var noGrad = torch.no_grad();
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Weight.copy_(snapshot[l]);
        }
    }

    /// <summary>The conv (groups = 1) and linear layers, in module order.</summary>
    private static List<ProjectedLayer> ProjectedLayers(ClassifierModel model, ILogger logger)
    {
        var layers = new List<ProjectedLayer>();
        foreach (var (name, module) in model.NamedModules())
        {
            switch (module)
            {
                case Conv2d { Groups: 1 } conv:
                    layers.Add(new ProjectedLayer(name, conv, null, conv.Weight, conv.InChannels * conv.KernelSize * conv.KernelSize));
                    break;
                case Conv2d conv:
                    LogGroupedConvolution(logger, name, conv.Groups);
                    break;
                case Linear linear:
                    layers.Add(new ProjectedLayer(name, null, linear, linear.Weight, linear.InFeatures));
                    break;
            }
        }
        return layers;
    }

    /// <summary>
    /// Σ x·xᵀ of every layer's inputs (a convolution's unfolded patches) over a seeded sub-sample of
    /// <paramref name="ids"/>, rescaled to the whole set (float64, on the model's device).
    /// </summary>
    private CovarianceSet Covariances(UnlearningContext context, ClassifierModel model, List<ProjectedLayer> layers, int[] ids, ulong seedOffset, CancellationToken cancellationToken)
    {
        int[] sample = ids;
        if (Options.CovarianceSamples > 0 && ids.Length > Options.CovarianceSamples)
        {
            int[] copy = (int[])ids.Clone();
            sample = new DeterministicRandom(DeterministicRandom.Hash(context.Seed, 0x707175UL, seedOffset)).SampleToFront<int>(copy, Options.CovarianceSamples).ToArray();
        }
        var set = new CovarianceSet(layers.Select(l => torch.zeros([l.Inputs, l.Inputs], ScalarType.Float64, context.Device).DetachFromDisposeScope()).ToArray());
        try
        {
            for (int l = 0; l < layers.Count; l++)
            {
                ProjectedLayer layer = layers[l];
                Tensor accumulator = set.Matrices[l];
                if (layer.Conv is Conv2d conv)
                {
                    conv.ForwardPreHook = x =>
                    {
                        using var scope = torch.NewDisposeScope();
                        Tensor patches = torch.nn.functional.unfold(x, conv.KernelSize, conv.Dilation, conv.Padding, conv.Stride); // [N, C·k·k, L]
                        Tensor rows = patches.transpose(1, 2).reshape(-1, layer.Inputs);
                        accumulator.add_(rows.T().mm(rows).to(ScalarType.Float64)); // batch sums in the model's dtype, the total in float64
                    };
                }
                else
                {
                    layer.Linear!.ForwardPreHook = x =>
                    {
                        using var scope = torch.NewDisposeScope();
                        Tensor rows = x.reshape(-1, layer.Inputs);
                        accumulator.add_(rows.T().mm(rows).to(ScalarType.Float64));
                    };
                }
            }
            using (var noGrad = torch.no_grad())
            using (DataLoader loader = context.Loader(sample, Options.CovarianceBatchSize, shuffle: false, augment: false))
            {
                foreach (Batch batch in loader.Epoch(0, cancellationToken))
                {
                    using var scope = torch.NewDisposeScope();
                    model.call(batch.Images);
                }
            }
            double scale = (double)ids.Length / sample.Length;
            foreach (Tensor m in set.Matrices)
            {
                m.mul_(scale);
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
        finally
        {
            foreach (ProjectedLayer layer in layers)
            {
                if (layer.Conv is not null)
                {
                    layer.Conv.ForwardPreHook = null;
                }
                else
                {
                    layer.Linear!.ForwardPreHook = null;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "pgu: layer {Layer} keeps a {Rank}-dimensional retain space of {Inputs} input dimensions")]
    private static partial void LogLayer(ILogger logger, string layer, int rank, long inputs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pgu: convolution {Layer} has {Groups} groups and is left unchanged")]
    private static partial void LogGroupedConvolution(ILogger logger, string layer, long groups);

    private sealed record ProjectedLayer(string Name, Conv2d? Conv, Linear? Linear, Tensor Weight, long Inputs);

    private sealed class CovarianceSet(Tensor[] matrices) : IDisposable
    {
        public Tensor[] Matrices { get; } = matrices;

        public void Dispose()
        {
            foreach (Tensor m in Matrices)
            {
                m.Dispose();
            }
        }
    }

    /// <summary>The accuracies the stopping rule compares, on fixed seeded subsets (evaluation mode, no gradients).</summary>
    private sealed class StoppingRule : IDisposable
    {
        private readonly DataLoader _forget;
        private readonly DataLoader _retain;
        private readonly DataLoader? _heldOut;

        private readonly double _classTolerance;

        public StoppingRule(UnlearningContext context, int samples, double classTolerance)
        {
            _classTolerance = classTolerance;
            _forget = context.Loader(Subset(context.ForgetIds, samples, context.Seed, 1), EvalBatchSize, shuffle: false, augment: false);
            _retain = context.Loader(Subset(context.RetainIds, samples, context.Seed, 2), EvalBatchSize, shuffle: false, augment: false);
            if (!context.IsClassWise)
            {
                _heldOut = context.ValidationIds.Length > 0
                    ? context.Loader(Subset(context.ValidationIds, samples, context.Seed, 3), EvalBatchSize, shuffle: false, augment: false)
                    : context.Data.TestLoader(EvalBatchSize, context.Device, Subset(context.Data.TestIds, samples, context.Seed, 3), context.Workers);
            }
        }

        public double ForgetAccuracy(ClassifierModel model, CancellationToken cancellationToken) => Accuracy(model, _forget, cancellationToken);

        public double RetainAccuracy(ClassifierModel model, CancellationToken cancellationToken) => Accuracy(model, _retain, cancellationToken);

        /// <summary>What a model that never saw D_f would score on it: held-out accuracy, or 0 for whole classes.</summary>
        public double TargetAccuracy(ClassifierModel model, CancellationToken cancellationToken) =>
            _heldOut is null ? 0 : Accuracy(model, _heldOut, cancellationToken);

        /// <summary>How far above the target the forget accuracy may stay and count as reached (class requests only).</summary>
        public double Tolerance => _heldOut is null ? _classTolerance : 0;

        public void Dispose()
        {
            _forget.Dispose();
            _retain.Dispose();
            _heldOut?.Dispose();
        }

        private static int[] Subset(int[] ids, int count, ulong seed, ulong salt)
        {
            if (ids.Length <= count)
            {
                return ids;
            }
            int[] copy = (int[])ids.Clone();
            return new DeterministicRandom(DeterministicRandom.Hash(seed, 0x70677565UL, salt)).SampleToFront<int>(copy, count).ToArray();
        }

        private static double Accuracy(ClassifierModel model, DataLoader loader, CancellationToken cancellationToken)
        {
            model.Eval();
            using var noGrad = torch.no_grad();
            long correct = 0;
            long seen = 0;
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                correct += model.call(batch.Images).argmax(1).eq(batch.Labels).Sum().ToInt64();
                seen += batch.Count;
            }
            return seen == 0 ? 0 : 100.0 * correct / seen;
        }
    }
}
