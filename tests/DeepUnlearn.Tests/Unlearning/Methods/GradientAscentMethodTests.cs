using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.GradientAscent;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class GradientAscentMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly KeyValuePair<string, string>[] s_tiny = [new("epochs", "5"), new("learning_rate", "5"), new("batch_size", "32"), new("max_forget_loss", "2")];

    [Fact]
    public void Run_TinyClassForgetting_IncreasesTheForgetLoss()
    {
        using var threads = new SingleThread();
        double before = ForgetLoss(setup.Original);
        using UnlearningOutcome outcome = MethodRegistry.Create("gradient-ascent", s_tiny).Run(setup.Context, CancellationToken.None);
        double after = ForgetLoss(outcome.Model);
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
        expected.Train();
        using (DataLoader forget = context.ForgetLoader(1000, shuffle: false))
        {
            foreach (Batch batch in forget.Epoch(0))
            {
                using var scope = torch.NewDisposeScope();
                torch.nn.functional.cross_entropy(expected.call(batch.Images), batch.Labels).backward();
                using var noGrad = torch.no_grad();
                foreach (Tensor p in expected.Parameters())
                {
                    p.add_(p.grad!, lr);
                }
            }
        }

        using UnlearningOutcome outcome = method.Run(context, CancellationToken.None);
        Dictionary<string, Tensor> got = outcome.Model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach ((string name, Tensor p) in expected.NamedParameters())
        {
            float[] want = p.ToArray<float>();
            float[] have = got[name].ToArray<float>();
            float[] start = fresh.NamedParameters().First(q => q.Name == name).Parameter.ToArray<float>();
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
        using UnlearningOutcome outcome = MethodRegistry.Create("gradient-ascent", s_tiny).Run(setup.Context, CancellationToken.None);
        Assert.Equal(1, outcome.Diagnostics["stopped_early"]);
        Assert.True(outcome.Diagnostics["steps"] < 5 * 4, "it should stop before the last step");
    }

    [Fact]
    public void Run_RunawayAscent_ThrowsWithTheSettingToLowerAndLeaksNothing()
    {
        using var threads = new SingleThread();
        long live = Tensor.SettledLiveCount();
        IUnlearningMethod method = MethodRegistry.Create("gradient-ascent", [new("epochs", "6"), new("learning_rate", "5"), new("batch_size", "32")]);
        var e = Assert.Throws<TrainingDivergedException>(() => method.Run(setup.Context, CancellationToken.None));
        Assert.Contains("gradient-ascent.learning_rate", e.Message, StringComparison.Ordinal);
        Assert.Equal(live, Tensor.LiveCount);
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

    private double ForgetLoss(ClassifierModel model)
    {
        using DataLoader forget = setup.Context.ForgetLoader(64, shuffle: false);
        return ModelEvaluator.Predict(model, forget).MeanLoss();
    }
}
