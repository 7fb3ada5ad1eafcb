using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.FineTune;
using DeepUnlearn.Unlearning.Methods.Scrub;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class ScrubMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly ScrubOptions s_tiny = new() { Epochs = 3, MaxStepEpochs = 2, LearningRate = 0.002, ForgetBatchSize = 32, RetainBatchSize = 32 };

    [Theory]
    [InlineData(4.0)]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void DistillationLoss_MatchesTheClosedForm(double temperature)
    {
        double[,] s = { { 1.0, -2.0, 0.5 }, { 3.0, 0.0, -1.0 } };
        double[,] t = { { 0.2, 1.5, -0.7 }, { 2.0, 2.5, 0.1 } };
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            double[] ps = Softmax(s, i, temperature);
            double[] pt = Softmax(t, i, temperature);
            for (int k = 0; k < 3; k++)
            {
                expected += pt[k] * Math.Log(pt[k] / ps[k]);
            }
        }
        expected *= temperature * temperature / 2;

        using var scope = torch.NewDisposeScope();
        Tensor student = torch.tensor(s.Cast<double>().Select(v => (float)v).ToArray(), [2, 3]);
        Tensor teacher = torch.tensor(t.Cast<double>().Select(v => (float)v).ToArray(), [2, 3]);
        double actual = ScrubMethod.DistillationLoss(student, teacher, temperature).ToDouble();
        Assert.Equal(expected, actual, 5);
        Assert.Equal(0, ScrubMethod.DistillationLoss(teacher, teacher, temperature).ToDouble(), 6);
    }

    [Fact]
    public void Run_NoMaxStepsAlphaZeroGammaOne_EqualsFineTuningOnTheRetainSet()
    {
        // With msteps = 0, α = 0 and γ = 1 the SCRUB loss is the retain cross-entropy and the loop is plain SGD on
        // D_r: it must reproduce the finetune method bit for bit (same loader, order, optimizer and rate).
        using var threads = new SingleThread();
        UnlearningContext context = Contexts.With(setup, augment: false);
        var scrub = new ScrubMethod(new ScrubOptions { Epochs = 2, MaxStepEpochs = 0, Alpha = 0, Gamma = 1, LearningRate = 0.05, RetainBatchSize = 32, Momentum = 0.9, WeightDecay = 5e-4 });
        var finetune = new FineTuneMethod(new FineTuneOptions { Epochs = 2, LearningRate = 0.05, BatchSize = 32, WeightDecay = 5e-4 });
        float[] fromScrub;
        float[] fromFineTune;
        using (UnlearningOutcome outcome = scrub.Run(context, CancellationToken.None))
        {
            fromScrub = setup.Flatten(outcome.Model);
        }
        using (UnlearningOutcome outcome = finetune.Run(context, CancellationToken.None))
        {
            fromFineTune = setup.Flatten(outcome.Model);
        }
        Assert.NotEqual(setup.Flatten(setup.Original), fromScrub);
        Assert.Equal(fromFineTune, fromScrub);
    }

    [Fact]
    public void Distill_TeacherIsUnchanged_StudentMoves()
    {
        using var threads = new SingleThread();
        using ClassifierModel teacher = setup.Context.CopyOriginal();
        using ClassifierModel student = setup.Context.CopyOriginal();
        float[] before = setup.Flatten(teacher);
        Dictionary<string, double> diagnostics = ScrubMethod.Distill(setup.Context, student, teacher, s_tiny, CancellationToken.None);
        Assert.Equal(before, setup.Flatten(teacher));
        Assert.False(teacher.training);
        Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
        Assert.NotEqual(before, setup.Flatten(student));
        Assert.True(diagnostics["final_forget_kl"] > 0);
        Assert.Equal(2, diagnostics["max_step_epochs"]);
    }

    [Fact]
    public void Run_LeavesTheOriginalsModeAndWeights()
    {
        using var threads = new SingleThread();
        bool wasTraining = setup.Original.training;
        float[] before = setup.Flatten(setup.Original);
        using (new ScrubMethod(s_tiny).Run(setup.Context, CancellationToken.None))
        {
        }
        Assert.Equal(wasTraining, setup.Original.training);
        Assert.Equal(before, setup.Flatten(setup.Original));
        Assert.All(setup.Original.parameters(), p => Assert.True(p.requires_grad));
    }

    [Theory]
    [InlineData("temperature", "0", "a positive number")]
    [InlineData("max_step_epochs", "-1", "non-negative")]
    [InlineData("alpha", "-0.5", "non-negative")]
    [InlineData("lr_decay_rate", "0", "in (0, 1]")]
    [InlineData("lr_decay_epochs", "0,3", "a list of epochs >= 1")]
    public void Create_InvalidOption_SaysWhatIsValid(string key, string value, string rule)
    {
        MethodOptionAssert.Rejects("scrub", key, value, rule);
    }

    [Fact]
    public void Create_AlphaAndGammaZero_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create("scrub", [new("alpha", "0"), new("gamma", "0")]));
        Assert.Contains("scrub.alpha", e.Message, StringComparison.Ordinal);
    }

    private static double[] Softmax(double[,] logits, int row, double temperature)
    {
        double[] z = Enumerable.Range(0, logits.GetLength(1)).Select(k => logits[row, k] / temperature).ToArray();
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
