using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Unlearning;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// Relearn time on the tiny class-forgetting setup: the original already knows the forget set (0 steps), a model whose
/// head suppresses the class needs steps and gets it back, a budget too small reports "not recovered", and the
/// measured model is never changed.
/// </summary>
public class RelearnTimeTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly RelearnOptions s_options = new() { Samples = 8, LearningRate = 0.1, MaxSteps = 60 };

    [Fact]
    public void Evaluate_Original_RelearnsInZeroSteps()
    {
        var evaluator = new UnlearningEvaluator(setup.Context) { Relearn = s_options, Probe = false };
        UnlearningMetrics metrics = evaluator.Metrics("original", evaluator.Evaluate(setup.Original), 0);
        RelearnResult relearn = metrics.Relearn!;
        Assert.Equal(0, relearn.Steps);
        Assert.Equal(0, relearn.Examples);
        // The threshold is 90% of the original's held-out forget accuracy, and the original is well above chance.
        double original = RelearnTime.ForgetAccuracy(setup.Original, setup.Context, s_options);
        Assert.Equal(0.9 * original, relearn.ThresholdPercent, 12);
        Assert.Equal(original, relearn.ForgetAccuracy, 12);
        Assert.True(original > 80, $"original forget accuracy {original}");
    }

    [Fact]
    public void Measure_ClassSuppressedInTheHead_NeedsStepsAndRecovers_ModelUnchanged()
    {
        using ClassifierModel suppressed = Suppressed(-60);
        float[] before = setup.Flatten(suppressed);
        double threshold = 0.9 * RelearnTime.ForgetAccuracy(setup.Original, setup.Context, s_options);
        Assert.Equal(0, RelearnTime.ForgetAccuracy(suppressed, setup.Context, s_options));

        RelearnResult result = RelearnTime.Measure(suppressed, setup.Context, s_options, threshold);
        Assert.True(result.Steps is not null, $"not recovered: {result}");
        Assert.InRange(result.Steps!.Value, 1, s_options.MaxSteps);
        Assert.Equal(result.Steps.Value * 8L, result.Examples);
        Assert.True(result.ForgetAccuracy >= threshold);
        Assert.Equal(before, setup.Flatten(suppressed));
        // Seeded subsets and full-batch steps: the same count again.
        Assert.Equal(result, RelearnTime.Measure(suppressed, setup.Context, s_options, threshold));
    }

    [Fact]
    public void Measure_BudgetTooSmall_NotRecoveredAndTheWholeBudgetCounted()
    {
        using ClassifierModel suppressed = Suppressed(-60);
        var tiny = s_options with { MaxSteps = 3, LearningRate = 1e-6 };
        RelearnResult result = RelearnTime.Measure(suppressed, setup.Context, tiny, thresholdPercent: 50);
        Assert.Null(result.Steps);
        Assert.Equal(3 * 8L, result.Examples);
        Assert.True(result.ForgetAccuracy < 50);
    }

    [Fact]
    public void Subsets_Seeded_DisjointSizedAndFromTheForgetSet()
    {
        int[] forget = setup.Context.ForgetIds;
        var (relearn, evaluate) = RelearnTime.Subsets(forget, s_options, seed: 0);
        Assert.Equal(8, relearn.Length);
        Assert.Equal(Math.Min(forget.Length - 8, s_options.EvalSamples), evaluate.Length);
        Assert.Empty(relearn.Intersect(evaluate));
        Assert.Subset(forget.ToHashSet(), relearn.Concat(evaluate).ToHashSet());
        Assert.Equal(relearn, RelearnTime.Subsets(forget, s_options, seed: 0).Relearn);
        Assert.NotEqual(relearn, RelearnTime.Subsets(forget, s_options, seed: 1).Relearn);
        // The default: 1% of the forget set, at least 8.
        Assert.Equal(8, new RelearnOptions().SamplesFor(120));
        Assert.Equal(60, new RelearnOptions().SamplesFor(6000));
    }

    [Theory]
    [InlineData(0, 0.9, 0.01, "Samples")]
    [InlineData(8, 1.5, 0.01, "RecoverFraction")]
    [InlineData(8, 0.9, -1, "LearningRate")]
    public void Validate_OutOfRange_NamesTheSetting(int samples, double fraction, double lr, string name)
    {
        var options = new RelearnOptions { Samples = samples, RecoverFraction = fraction, LearningRate = lr };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(name, error.ParamName);
    }

    /// <summary>The original with class 0's logit lowered by <paramref name="shift"/>: features intact, forget accuracy 0.</summary>
    private ClassifierModel Suppressed(double shift)
    {
        ClassifierModel model = setup.Original.DeepCopy();
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            model.Head.bias!.narrow(0, 0, 1).add_(shift);
        }
        return model;
    }
}
