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
        Dictionary<ulong, double[]> retrained = Enumerable.Range(1, 6).Select(s => (ulong)s).ToDictionary(s => s, Retrain);
        var attacks = new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 2 });
        attacks.AddReference(retrained[1]);
        attacks.AddReference(retrained[2]);
        attacks.AddRetrained(10, retrained[3]);
        attacks.AddRetrained(11, retrained[4]);
        var (_, original) = ReferenceRetrains.ForgetPhi(setup.Original, setup.Context);
        attacks.AddTarget("original", 10, original);
        attacks.AddTarget("original", 11, original);
        attacks.AddTarget("retrained", 10, retrained[5]);
        attacks.AddTarget("retrained", 11, retrained[6]);

        PerExampleAttackReport report = attacks.Compute();
        ULiraResult withForgetSet = report.ULira.Single(r => r.Method == "original");
        ULiraResult without = report.ULira.Single(r => r.Method == "retrained");
        int forget = setup.Context.ForgetIds.Length;
        Assert.Equal((2 * forget, 2 * forget), (withForgetSet.Positives, withForgetSet.Negatives));
        Assert.True(withForgetSet.Auc > 0.95, $"original AUC {withForgetSet.Auc}");
        Assert.True(withForgetSet.TprAt1PercentFpr > 0.5, $"original TPR@1% {withForgetSet.TprAt1PercentFpr}");
        Assert.InRange(without.Auc, 0.35, 0.65);

        // ε: the original is one fixed model against 4 retrains (peaky: the cap); retrained seeds look retrained.
        EpsilonResult originalEpsilon = report.Epsilon.Single(r => r.Method == "original");
        Assert.Equal(EpsilonEstimator.Cap, originalEpsilon.MedianEpsilon);
        Assert.Equal((2, 4), (originalEpsilon.UnlearnedModels, originalEpsilon.RetrainedModels));
        Assert.Null(originalEpsilon.ForgetScore);
        Assert.True(report.Epsilon.Single(r => r.Method == "retrained").MedianEpsilon < EpsilonEstimator.Cap);
    }

    [Fact]
    public void ReferencesFor_NeverTheTargetSeedsOwnRetrain_NorASharedOneTwice()
    {
        double[] r0 = [0.0, 1];
        double[] r1 = [1.0, 2];
        double[] r2 = [2.0, 3];
        double[] extra = [3.0, 4];
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
        Assert.Throws<ArgumentException>(() => attacks.AddTarget("m", 0, [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerExampleAttacks(new PerExampleAttackOptions { ReferenceModels = 0 }));
    }

    private double[] Retrain(ulong seed)
    {
        UnlearningContext c = setup.Context;
        var context = new UnlearningContext(c.Original, c.Data, c.ForgetIds, c.RetainIds, c.ValidationIds, c.ForgottenClasses, c.Recipe, c.Device, seed) { Workers = 0 };
        using UnlearningOutcome outcome = new RetrainMethod(new RetrainOptions()).Run(context, CancellationToken.None);
        return ReferenceRetrains.ForgetPhi(outcome.Model, context).Phi;
    }
}
