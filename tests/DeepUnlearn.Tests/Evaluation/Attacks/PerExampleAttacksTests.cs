using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Tests.Unlearning;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Retrain;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation.Attacks;

/// <summary>
/// The per-example attacks on real models of the tiny class-forgetting problem (smallcnn on 12×12 squares, forget
/// class 0): the original, trained with D_f, is caught example by example; a model retrained without D_f with
/// another seed is not (AUC ≈ 0.5). And the bookkeeping: a retrained model is never its own reference.
/// </summary>
public class PerExampleAttacksTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void Compute_ModelTrainedWithTheForgetSet_HighAuc_RetrainedWithoutIt_NearHalf()
    {
        // Retrains with seeds 1–6: 1–2 are the references, 3–4 the negatives (one per target seed), 5–6 the retrained
        // "method" whose outputs must look like retraining.
        Dictionary<ulong, ModelOutputs> retrained = Enumerable.Range(1, 6).Select(s => (ulong)s).ToDictionary(s => s, Retrain);
        ModelOutputs original = ReferenceRetrains.Outputs(setup.Original, setup.Context).Outputs;
        PerExampleAttackReport raw = Attack(calibrate: false);
        PerExampleAttackReport report = Attack(calibrate: true);
        Assert.Equal(0, raw.PopulationSamples);
        Assert.Equal(setup.Data.Test.Labels.ToArray().Count(l => l != 0), report.PopulationSamples);

        PerExampleAttackReport Attack(bool calibrate)
        {
            var attacks = new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 2, Calibrate = calibrate });
            attacks.AddReference(retrained[1]);
            attacks.AddReference(retrained[2]);
            attacks.AddRetrained(10, retrained[3]);
            attacks.AddRetrained(11, retrained[4]);
            attacks.AddTarget("original", 10, original);
            attacks.AddTarget("original", 11, original);
            attacks.AddTarget("retrained", 10, retrained[5]);
            attacks.AddTarget("retrained", 11, retrained[6]);
            return attacks.Compute();
        }
        ULiraResult withForgetSet = report.ULira.Single(r => r.Method == "original");
        ULiraResult without = report.ULira.Single(r => r.Method == "retrained");
        int forget = setup.Context.ForgetIds.Length;
        Assert.Equal((2 * forget, 2 * forget), (withForgetSet.Positives, withForgetSet.Negatives));
        Assert.True(withForgetSet.Auc > 0.95, $"original AUC {withForgetSet.Auc}");
        Assert.True(withForgetSet.TprAt1PercentFpr > 0.5, $"original TPR@1% {withForgetSet.TprAt1PercentFpr}");
        Assert.InRange(without.Auc, 0.35, 0.65);
        Assert.True(raw.ULira[0].Auc > 0.95, $"uncalibrated original AUC {raw.ULira[0].Auc}");
        Assert.InRange(raw.ULira[1].Auc, 0.2, 0.8);

        // ε with 2 unlearned and 4 retrained models: the original is one fixed model (peaky: the cap), but neither it nor
        // anything else can be told from retraining at 95% with so few models: every interval reaches down to 0, and
        // the challenge's score F is undefined below 3 models per side.
        EpsilonResult originalEpsilon = report.Epsilon.Single(r => r.Method == "original");
        Assert.Equal(EpsilonEstimator.Cap, originalEpsilon.MedianEpsilon);
        Assert.Equal(100, originalEpsilon.PeakyPercent);
        Assert.Equal((2, 4), (originalEpsilon.UnlearnedModels, originalEpsilon.RetrainedModels));
        Assert.Null(originalEpsilon.ForgetScore);
        Assert.All(report.Epsilon, e => Assert.Equal(0, e.DistinguishablePercent));
        Assert.All(report.Epsilon, e => Assert.Equal(0, e.MedianLower));
    }

    [Fact]
    public void ReferencesFor_NeverTheTargetSeedsOwnRetrain_NorASharedOneTwice()
    {
        var r0 = new ModelOutputs([0.0, 1], []);
        var r1 = new ModelOutputs([1.0, 2], []);
        var r2 = new ModelOutputs([2.0, 3], []);
        var extra = new ModelOutputs([3.0, 4], []);
        var attacks = new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 2 });
        attacks.AddRetrained(0, r0);
        attacks.AddRetrained(1, r1);
        attacks.AddRetrained(2, r2);
        attacks.AddReference(extra);
        Assert.Equal([r1, r2], attacks.ReferencesFor(0));
        Assert.Equal([r0, r2], attacks.ReferencesFor(1));

        // One --retrained model shared by every seed: it is each seed's negative, so only the extras are references.
        var shared = new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 2 });
        shared.AddRetrained(0, r0);
        shared.AddRetrained(1, r0);
        shared.AddReference(r1);
        Assert.Throws<InvalidOperationException>(() => shared.ReferencesFor(0));
        shared.AddReference(extra);
        Assert.Equal([r1, extra], shared.ReferencesFor(1));

        Assert.Equal(2, PerExampleAttacks.ExtraReferencesNeeded(2, 1));
        Assert.Equal(1, PerExampleAttacks.ExtraReferencesNeeded(2, 2));
        Assert.Equal(0, PerExampleAttacks.ExtraReferencesNeeded(2, 3));
        Assert.Throws<ArgumentException>(() => attacks.AddTarget("m", 0, new ModelOutputs([1.0], [])));
        Assert.Throws<ArgumentException>(() => attacks.AddTarget("m", 0, new ModelOutputs([1.0, 2], [3.0])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 0 }));
    }

    private ModelOutputs Retrain(ulong seed)
    {
        UnlearningContext c = setup.Context;
        var context = new UnlearningContext(c.Original, c.Data, c.ForgetIds, c.RetainIds, c.ValidationIds, c.ForgottenClasses, c.Recipe, c.Device, seed) { Workers = 0 };
        using UnlearningOutcome outcome = new RetrainMethod(new RetrainOptions()).Run(context, CancellationToken.None);
        return ReferenceRetrains.Outputs(outcome.Model, context).Outputs;
    }
}
