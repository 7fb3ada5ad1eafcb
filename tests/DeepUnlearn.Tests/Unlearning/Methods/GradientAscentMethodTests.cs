using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.GradientAscent;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// GA's update checked against a hand-made ascent step on the tiny setup (an untrained copy), and its ceiling and
/// divergence guard on <see cref="ContractProblem"/>, whose original fits D_f without saturating: the tiny setup's
/// original is saturated (its forget loss is 0 in float32 since the TorchSharp port, about 1e-9 before), where the
/// forget gradients vanish and no rate makes the ascent take off.
/// </summary>
public class GradientAscentMethodTests(TinyUnlearningSetup setup, ContractProblem problem) : IClassFixture<TinyUnlearningSetup>, IClassFixture<ContractProblem>
{
    // A rate that makes the ascent run away within a few steps, with the loss ceiling stopping it there.
    private static readonly KeyValuePair<string, string>[] s_fast = [new("epochs", "5"), new("learning_rate", "5"), new("batch_size", "32"), new("max_forget_loss", "2")];

    [Fact]
    public void Run_ClassForgetting_IncreasesTheForgetLoss()
    {
        using var threads = new SingleThread();
        double before = problem.OriginalForget.Loss;
        using UnlearningOutcome outcome = MethodRegistry.Create("gradient-ascent", s_fast).Run(problem.Context, CancellationToken.None);
        double after = problem.Evaluate(outcome.Model, problem.Context.ForgetIds).Loss;
        Assert.True(after > before + 1, $"forget loss {before:G4} -> {after:G4}");
    }

    [Fact]
    public void Run_OneFullBatchPlainSgd_IsOneAscentStepOnTheForgetLoss()
    {
        // An untrained model (unsaturated gradients), no augmentation, one batch holding all of D_f, no momentum
        // or decay: GA must give exactly θ + η·∇ℓ_CE(θ; D_f), computed here independently.
        using var threads = new SingleThread();
        const double lr = 0.1;
        using ClassifierModel fresh = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 7 });
        UnlearningContext context = Contexts.WithOriginal(setup, fresh, augment: false);
        var method = new GradientAscentMethod(new GradientAscentOptions { Epochs = 1, LearningRate = lr, BatchSize = 1000, Momentum = 0, WeightDecay = 0 });

        using ClassifierModel expected = fresh.DeepCopy();
        expected.train();
        using (DataLoader forget = context.ForgetLoader(1000, shuffle: false))
        {
            foreach (Batch batch in forget.Epoch(0))
            {
                using var scope = torch.NewDisposeScope();
                torch.nn.functional.cross_entropy(expected.call(batch.Images), batch.Labels).backward();
                using var noGrad = torch.no_grad();
                foreach (Tensor p in expected.parameters())
                {
                    p.add_(p.grad!, lr);
                }
            }
        }

        using UnlearningOutcome outcome = method.Run(context, CancellationToken.None);
        Dictionary<string, Tensor> got = outcome.Model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach ((string name, Tensor p) in expected.named_parameters())
        {
            float[] want = p.data<float>().ToArray();
            float[] have = got[name].data<float>().ToArray();
            float[] start = fresh.named_parameters().First(q => q.name == name).parameter.data<float>().ToArray();
            for (int i = 0; i < want.Length; i++)
            {
                // The samples come in another order (GA shuffles), so sums round differently: compare the update.
                Assert.True(Math.Abs(want[i] - have[i]) <= 1e-6 + (1e-4 * Math.Abs(want[i] - start[i])), $"{name}[{i}]: expected {want[i]}, got {have[i]}");
            }
        }
        Assert.Equal(1, outcome.Diagnostics["steps"]);
    }

    [Fact]
    public void Run_LossCeiling_StopsEarlyAndSaysSo()
    {
        using var threads = new SingleThread();
        using UnlearningOutcome outcome = MethodRegistry.Create("gradient-ascent", s_fast).Run(problem.Context, CancellationToken.None);
        int batches = (problem.Context.ForgetIds.Length + 31) / 32;
        Assert.Equal(1, outcome.Diagnostics["stopped_early"]);
        Assert.True(outcome.Diagnostics["steps"] < 5 * batches, "it should stop before the last step");
    }

    [Fact]
    public void Run_RunawayAscent_ThrowsWithTheSettingToLowerAndLeaksNothing()
    {
        using var threads = new SingleThread();
        // Tensors made on this thread minus those disposed on it (the global count keeps one per Parameter made).
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        IUnlearningMethod method = MethodRegistry.Create("gradient-ascent", [new("epochs", "6"), new("learning_rate", "5"), new("batch_size", "32")]);
        var e = Assert.Throws<TrainingDivergedException>(() => method.Run(problem.Context, CancellationToken.None));
        Assert.Contains("gradient-ascent.learning_rate", e.Message, StringComparison.Ordinal);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Run_OneHugeStep_FiniteLossButRunawayModel_IsRefusedByTheRegistryGuard()
    {
        // Issue 13 item 9: at lr 1e30 one step leaves every loss read finite (it is read before the step) and the
        // method itself returns; the model's outputs are NaN/Inf, which evaluation scored as perfect forgetting.
        using var threads = new SingleThread();
        var options = new GradientAscentOptions { Epochs = 1, LearningRate = 1e30, BatchSize = 100_000 };
        using (UnlearningOutcome unguarded = new GradientAscentMethod(options).Run(problem.Context, CancellationToken.None))
        {
            Assert.Equal(1, unguarded.Diagnostics["steps"]);
        }
        IUnlearningMethod method = MethodRegistry.Create("gradient-ascent", [new("epochs", "1"), new("learning_rate", "1e30"), new("batch_size", "100000")]);
        var e = Assert.Throws<TrainingDivergedException>(() => method.Run(problem.Context, CancellationToken.None));
        Assert.Contains("gradient-ascent diverged", e.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 steps", e.Message, StringComparison.Ordinal);
        Assert.Contains("gradient-ascent.learning_rate (now 1E+30)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOutcome_InfiniteBatchNormStatistics_NamesTheBuffer()
    {
        // Buffers are not parameters: a check of parameters alone passes a model whose running variance overflowed.
        using var threads = new SingleThread();
        ClassifierModel model = problem.Context.CopyOriginal();
        using (torch.no_grad())
        {
            model.state_dict()["bn1.running_var"].fill_(double.PositiveInfinity);
        }
        using var outcome = new UnlearningOutcome(model, 0);
        var e = Assert.Throws<TrainingDivergedException>(() => DeepUnlearn.Unlearning.Methods.DivergenceGuard.CheckOutcome(
            "gradient-ascent", new GradientAscentOptions(), outcome, problem.Context, CancellationToken.None));
        Assert.Contains("'bn1.running_var' has non-finite values", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("learning_rate", "-1", "a positive number")]
    [InlineData("epochs", "0", "at least 1")]
    [InlineData("momentum", "1", "in [0, 1)")]
    [InlineData("max_forget_loss", "-2", "non-negative")]
    public void Create_InvalidOption_SaysWhatIsValid(string key, string value, string rule)
    {
        MethodOptionAssert.Rejects("gradient-ascent", key, value, rule);
    }
}
