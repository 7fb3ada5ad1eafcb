using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.Scrub;

/// <summary>
/// SCRUB ("Towards Unbounded Machine Unlearning", Kurmanji et al., NeurIPS 2023; meghdadk/SCRUB,
/// <c>train_distill</c> in thirdparty/repdistiller/helper/loops.py): the original is a frozen teacher
/// (evaluation mode), a copy of it the student (training mode). Each epoch e = 1..E first, while e ≤ msteps,
/// takes a max-step on every forget batch, minimising −d(x; w_s) with d = T²·KL(p_t^T ‖ p_s^T) (pushing the
/// student away from the teacher on D_f), then a min-step on every retain batch, minimising
/// α·d(x; w_s) + γ·CE(f_s(x), y) (staying close to the teacher and accurate on D_r). One SGD optimizer
/// (momentum, weight decay) serves both, and its rate decays by <c>lr_decay_rate</c> after each epoch of
/// <c>lr_decay_epochs</c>, as in the reference.
/// </summary>
public sealed partial class ScrubMethod(ScrubOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "scrub";

    /// <summary>The options in force.</summary>
    public ScrubOptions Options { get; } = options;

    /// <summary>
    /// SCRUB's distance d (RepDistiller's DistillKL): T² · Σ_i KL(softmax(t_i/T) ‖ softmax(s_i/T)) / B over a batch
    /// of student logits <paramref name="student"/> and teacher logits <paramref name="teacher"/> [B, K].
    /// </summary>
    public static Tensor DistillationLoss(Tensor student, Tensor teacher, double temperature)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        using Tensor scaledStudent = student / temperature;
        using Tensor scaledTeacher = teacher / temperature;
        using Tensor logStudent = nn.functional.log_softmax(scaledStudent, 1);
        using Tensor pTeacher = torch.nn.functional.softmax(scaledTeacher, 1);
        using Tensor kl = KlDivergence.Loss(logStudent, pTeacher, targetIsLog: false, KlReduction.Sum);
        return kl * (temperature * temperature / student.size(0));
    }

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        using ClassifierModel teacher = context.CopyOriginal();
        ClassifierModel student = context.CopyOriginal();
        try
        {
            Dictionary<string, double> diagnostics = Distill(context, student, teacher, Options, cancellationToken);
            return new UnlearningOutcome(student, clock.Elapsed.TotalSeconds, diagnostics);
        }
        catch
        {
            student.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The SCRUB loop on <paramref name="student"/> (trained in place) against <paramref name="teacher"/>, which is
    /// put in evaluation mode, frozen and only ever run forward without gradients. Returns the diagnostics.
    /// </summary>
    internal static Dictionary<string, double> Distill(UnlearningContext context, ClassifierModel student, ClassifierModel teacher, ScrubOptions options, CancellationToken cancellationToken)
    {
        const string name = "scrub";
        ILogger logger = context.Logger(name);
        string hint = string.Create(CultureInfo.InvariantCulture,
            $"lower {name}.learning_rate (now {options.LearningRate}) or {name}.max_step_epochs (now {options.MaxStepEpochs})");
        teacher.eval();
        foreach (Parameter p in teacher.parameters())
        {
            p.requires_grad = false;
        }
        using DataLoader forget = context.ForgetLoader(options.ForgetBatchSize, shuffle: true, augment: false);
        using DataLoader retain = context.RetainLoader(options.RetainBatchSize, shuffle: true, augment: false);
        using var optimizer = new SgdOptimizer([.. student.TrainableParameters()], options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);
        MixedPrecision amp = context.Precision.Start();
        int maxEpochs = Math.Min(options.MaxStepEpochs, options.Epochs);
        int steps = (maxEpochs * forget.BatchCount) + (options.Epochs * retain.BatchCount);
        int step = 0;
        double maxLoss = double.NaN;
        double minLoss = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // adjust_learning_rate: epochs are 1-based there; the rate decays once per milestone passed.
            int decays = options.LrDecayEpochs.Count(m => epoch + 1 > m);
            double rate = options.LearningRate * Math.Pow(options.LrDecayRate, decays);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = rate;
            }
            student.train();
            if (epoch < options.MaxStepEpochs)
            {
                maxLoss = MaxStepPass(context, student, teacher, forget, optimizer, options, epoch, ref step, steps, hint, cancellationToken, amp);
            }
            double minSum = 0;
            long minSeen = 0;
            foreach (Batch batch in retain.Epoch(epoch, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                Tensor logits = amp.Forward(student, batch.Images);
                Tensor loss = torch.nn.functional.cross_entropy(logits, batch.Labels) * options.Gamma;
                if (options.Alpha != 0)
                {
                    loss = loss + (DistillationLoss(logits, TeacherLogits(teacher, batch.Images, amp), options.Temperature) * options.Alpha);
                }
                double value = loss.ToDouble();
                DivergenceGuard.CheckLoss(name, "retain loss", value, epoch, step, hint);
                optimizer.zero_grad();
                amp.Backward(loss);
                amp.Step(optimizer);
                minSum += value * batch.Count;
                minSeen += batch.Count;
                step++;
                context.Report(name, $"min-step epoch {epoch + 1}/{options.Epochs}", step, steps, value, minSeen);
            }
            minLoss = minSum / Math.Max(minSeen, 1);
            LogEpoch(logger, epoch + 1, options.Epochs, maxLoss, minLoss);
        }
        DivergenceGuard.CheckWeights(name, student, hint);
        var diagnostics = new Dictionary<string, double>
        {
            ["epochs"] = options.Epochs,
            ["max_step_epochs"] = maxEpochs,
            ["steps"] = step,
            ["final_retain_loss"] = minLoss,
        };
        if (maxEpochs > 0)
        {
            diagnostics["final_forget_kl"] = maxLoss;
        }
        return diagnostics;
    }

    /// <summary>
    /// One max-step pass of SCRUB over <paramref name="forget"/> (the student in training mode): for every batch, one
    /// <paramref name="optimizer"/> step minimising −d(x; w_s), which moves the student away from the teacher on D_f.
    /// Returns the batches' mean d, each measured before its step. Forward passes and steps follow <paramref name="amp"/>
    /// (float32 when null).
    /// </summary>
    internal static double MaxStepPass(UnlearningContext context, ClassifierModel student, ClassifierModel teacher, DataLoader forget, optim.Optimizer optimizer, ScrubOptions options, int epoch, ref int step, int steps, string hint, CancellationToken cancellationToken, MixedPrecision? amp = null)
    {
        const string name = "scrub";
        amp ??= PrecisionPolicy.Off.Start();
        student.train();
        double sum = 0;
        long seen = 0;
        foreach (Batch batch in forget.Epoch(epoch, cancellationToken))
        {
            using var scope = torch.NewDisposeScope();
            Tensor logits = amp.Forward(student, batch.Images);
            Tensor distance = DistillationLoss(logits, TeacherLogits(teacher, batch.Images, amp), options.Temperature);
            double value = distance.ToDouble();
            DivergenceGuard.CheckLoss(name, "forget-set KL", value, epoch, step, hint);
            // Max-step: minimise −d, i.e. move the student away from the teacher on D_f.
            Tensor loss = distance.neg();
            optimizer.zero_grad();
            amp.Backward(loss);
            amp.Step(optimizer);
            sum += value * batch.Count;
            seen += batch.Count;
            step++;
            context.Report(name, $"max-step epoch {epoch + 1}/{options.Epochs}", step, steps, -value, seen);
        }
        return sum / Math.Max(seen, 1);
    }

    private static Tensor TeacherLogits(ClassifierModel teacher, Tensor images, MixedPrecision amp)
    {
        using var noGrad = torch.no_grad();
        return amp.Forward(teacher, images);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scrub epoch {Epoch}/{Epochs}: forget KL {ForgetKl:F4} (last max-step pass), retain loss {RetainLoss:F4}")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double forgetKl, double retainLoss);
}
