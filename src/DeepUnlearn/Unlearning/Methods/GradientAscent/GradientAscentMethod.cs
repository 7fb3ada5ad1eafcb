using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.GradientAscent;

/// <summary>
/// Gradient ascent (GA, "NegGrad"; Thudi et al. 2022, the GA baseline of SalUn / Unlearn-Sparse,
/// OPTML-Group/Unlearn-Saliency <c>unlearn/GA.py</c>): starting from θ_o, maximise the cross-entropy on the
/// forget set, θ ← θ + η·∇_θ ℓ_CE(θ; D_f), with SGD (momentum, weight decay) over shuffled forget batches
/// in training mode. The retain set is never visited. The loss is unbounded above: a NaN or infinite loss
/// stops the run with a <see cref="Training.TrainingDivergedException"/> naming the rate to lower, and
/// <see cref="GradientAscentOptions.MaxForgetLoss"/> optionally stops it early, reported as
/// <c>stopped_early</c> in the diagnostics.
/// </summary>
public sealed partial class GradientAscentMethod(GradientAscentOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "gradient-ascent";

    /// <summary>The options in force.</summary>
    public GradientAscentOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        ILogger logger = context.Logger(Name);
        string hint = string.Create(CultureInfo.InvariantCulture,
            $"lower {Name}.learning_rate (now {Options.LearningRate}) or {Name}.epochs (now {Options.Epochs})");
        ClassifierModel model = context.CopyOriginal();
        try
        {
            using DataLoader forget = context.ForgetLoader(Options.BatchSize, shuffle: true, augment: context.Recipe.Augment);
            // GA.py descends on −CE with SGD(momentum, weight_decay); maximize=true is the same update, since
            // torch negates the gradient before adding the weight decay.
            using var optimizer = new SgdOptimizer([.. model.TrainableParameters()], Options.LearningRate, Options.Momentum, weightDecay: Options.WeightDecay, maximize: true);
            MixedPrecision amp = context.Precision.Start();
            int steps = forget.BatchCount * Options.Epochs;
            int step = 0;
            int epochsRun = 0;
            bool stoppedEarly = false;
            double epochLoss = double.NaN;
            for (int epoch = 0; epoch < Options.Epochs && !stoppedEarly; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                model.train();
                double sum = 0;
                long seen = 0;
                foreach (Batch batch in forget.Epoch(epoch, cancellationToken))
                {
                    using var scope = torch.NewDisposeScope();
                    Tensor loss = torch.nn.functional.cross_entropy(amp.Forward(model, batch.Images), batch.Labels);
                    double value = loss.ToDouble();
                    DivergenceGuard.CheckLoss(Name, "forget loss", value, epoch, step, hint);
                    if (Options.MaxForgetLoss > 0 && value > Options.MaxForgetLoss)
                    {
                        stoppedEarly = true;
                        sum += value * batch.Count;
                        seen += batch.Count;
                        LogStoppedEarly(logger, epoch + 1, step, value, Options.MaxForgetLoss);
                        break;
                    }
                    optimizer.zero_grad();
                    amp.Backward(loss);
                    amp.Step(optimizer);
                    sum += value * batch.Count;
                    seen += batch.Count;
                    step++;
                    context.Report(Name, $"ascent epoch {epoch + 1}/{Options.Epochs}", step, steps, value, seen);
                }
                epochLoss = sum / Math.Max(seen, 1);
                epochsRun++;
                LogEpoch(logger, epoch + 1, Options.Epochs, epochLoss);
            }
            DivergenceGuard.CheckWeights(Name, model, hint);
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["epochs"] = epochsRun,
                ["steps"] = step,
                ["stopped_early"] = stoppedEarly ? 1 : 0,
                ["final_forget_loss"] = epochLoss,
            });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "gradient-ascent epoch {Epoch}/{Epochs}: mean forget loss {Loss:F4}")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss);

    [LoggerMessage(Level = LogLevel.Information, Message = "gradient-ascent stopped early in epoch {Epoch} after {Steps} steps: forget batch loss {Loss:F4} exceeds max_forget_loss {Ceiling}")]
    private static partial void LogStoppedEarly(ILogger logger, int epoch, int steps, double loss, double ceiling);
}
