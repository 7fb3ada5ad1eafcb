using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Unlearning;
using TorchSharp;
using Xunit;
using static DeepUnlearn.Tests.Evaluation.ConfidenceFixtures;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// The evaluator's wiring, as SalUn's main_forget.py / main_random.py wire it: UA on D_f, RA on D_r, TA on the test
/// set without the forgotten class (reported apart), and MIA-efficacy = the SVC attack trained on the first |test|
/// retain samples (members) against the test set (non-members) and applied to D_f. Each fixture gives different
/// numbers under the right and the wrong wirings, so a mix-up fails.
/// </summary>
public class UnlearningEvaluatorTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void Metrics_Mia_TrainsOnTheFirstTestSizedRetainSamplesAgainstTheTestSetAndScoresTheForgetSet()
    {
        // True-class confidences: test (non-members) low, the first |test| retain samples high, the other retain
        // samples in between, the forget samples spread across the middle.
        var random = new Random(7);
        double[] test = Draw(random, 40, 0.05, 0.35);
        double[] retain = [.. Draw(random, 40, 0.8, 1.0), .. Draw(random, 120, 0.35, 0.6)];
        double[] forget = Draw(random, 60, 0.3, 0.8);
        var evaluation = new ModelEvaluation(Confident(forget, 0), Confident(retain, 10_000), Confident(test, 20_000), null, ModelEvaluation.Flatten(setup.Original));
        UnlearningMetrics metrics = new UnlearningEvaluator(setup.Context).Metrics("fixture", evaluation, 1);

        double right = MembershipInference.SvcEfficacyPercent(retain[..test.Length], test, forget);
        Assert.Equal(right, metrics.MiaEfficacy, 10);
        // The wrong wirings, each far from the right number on this fixture.
        foreach (var (wiring, value) in new (string Wiring, double Value)[]
        {
            ("members = all of D_r", MembershipInference.SvcEfficacyPercent(retain, test, forget)),
            ("members = the last |test| retain samples", MembershipInference.SvcEfficacyPercent(retain[^test.Length..], test, forget)),
            ("scored on the test set", MembershipInference.SvcEfficacyPercent(retain[..test.Length], test, test)),
            ("scored on D_r", MembershipInference.SvcEfficacyPercent(retain[..test.Length], test, retain)),
        })
        {
            Assert.True(Math.Abs(value - right) >= 5, $"{wiring} gives {value:F2}, too close to the right {right:F2}: the fixture cannot tell them apart");
        }
        Assert.InRange(right, 5, 95);
    }

    [Fact]
    public void Metrics_Mia_RetainSmallerThanTest_TrainsTheAttackOnTwoEqualShadowSets()
    {
        // A reduced-scale protocol: 40 retain samples, 100 test samples, and a model whose confidences do not depend
        // on membership at all (retain, test and forget drawn from one distribution). SalUn's attack trains on as many
        // members as non-members (the first |test| retain samples; its code assumes |retain| ≥ |test|). Fed all 40
        // retain against all 100 test samples, the SVC leans to the larger class and calls nearly every forget sample
        // a non-member: MIA-efficacy near 100 for any model, the symptom of the small Fashion-MNIST reproduce run.
        var random = new Random(11);
        double[] retain = Draw(random, 40, 0.2, 1.0);
        double[] test = Draw(random, 100, 0.2, 1.0);
        double[] forget = Draw(random, 200, 0.2, 1.0);
        var evaluation = new ModelEvaluation(Confident(forget, 0), Confident(retain, 10_000), Confident(test, 20_000), null, ModelEvaluation.Flatten(setup.Original));
        UnlearningMetrics metrics = new UnlearningEvaluator(setup.Context).Metrics("fixture", evaluation, 1);

        double balanced = MembershipInference.SvcEfficacyPercent(retain, test[..retain.Length], forget);
        double unbalanced = MembershipInference.SvcEfficacyPercent(retain, test, forget);
        Assert.True(unbalanced >= 90, $"the unbalanced attack gives {unbalanced:F1}: the fixture does not show the lean to the larger class");
        Assert.InRange(balanced, 10, 90);
        Assert.Equal(balanced, metrics.MiaEfficacy, 10);
    }

    [Fact]
    public void Evaluate_ClassRequest_UaOnTheForgetSetRaOnTheRetainSetTaWithoutTheForgottenClass()
    {
        // A model that never predicts the forgotten class 0: UA = 100, and TA over all four classes would be about
        // three quarters of TA over the remaining three.
        using ClassifierModel model = setup.Original.DeepCopy();
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            model.Head.bias!.narrow(0, 0, 1).fill_(-1e4);
        }
        var evaluator = new UnlearningEvaluator(setup.Context);
        ModelEvaluation evaluation = evaluator.Evaluate(model);
        UnlearningMetrics metrics = evaluator.Metrics("fixture", evaluation, 1);

        Assert.Equal(setup.Context.ForgetIds, evaluation.Forget.Ids);
        Assert.Equal(setup.Context.RetainIds, evaluation.Retain.Ids);
        Assert.Equal(100, metrics.UnlearningAccuracy, 10);

        // The reference numbers, from one plain pass over each split.
        Predictions all;
        using (DataLoader loader = setup.Data.TestLoader(512, torch.CPU, workers: 0))
        {
            all = ModelEvaluator.Predict(model, loader);
        }
        int[] predicted = all.PredictedLabels();
        double Accuracy(Func<int, bool> keep)
        {
            int[] rows = Enumerable.Range(0, all.Count).Where(i => keep(all.Labels[i])).ToArray();
            return 100.0 * rows.Count(i => predicted[i] == all.Labels[i]) / rows.Length;
        }
        double remaining = Accuracy(c => c != 0);
        double everything = Accuracy(_ => true);
        Assert.True(remaining - everything > 10, $"TA over the remaining classes {remaining:F1} vs all {everything:F1}: the fixture cannot tell them apart");
        Assert.Equal(remaining, metrics.TestAccuracy, 10);
        Assert.Equal(0, metrics.ForgottenClassTestAccuracy!.Value, 10);
        Assert.DoesNotContain(0, evaluation.Test.Labels);
        Assert.All(evaluation.ForgottenTest!.Labels, l => Assert.Equal(0, l));
        Assert.Equal(all.Count, evaluation.Test.Count + evaluation.ForgottenTest.Count);

        using DataLoader retain = setup.Context.RetainLoader(512, shuffle: false, augment: false);
        Assert.Equal(ModelEvaluator.Predict(model, retain).AccuracyPercent(), metrics.RetainAccuracy, 10);

        // The shadow members are the first |test| retain samples, |test| counting the remaining classes only (and the
        // first |retain| test samples when the retain set is the smaller one).
        int shadow = Math.Min(evaluation.Retain.Count, evaluation.Test.Count);
        double expectedMia = MembershipInference.SvcEfficacyPercent(evaluation.Retain.Take(shadow).TrueClassConfidence(), evaluation.Test.Take(shadow).TrueClassConfidence(), evaluation.Forget.TrueClassConfidence());
        Assert.Equal(expectedMia, metrics.MiaEfficacy, 10);
    }
}
