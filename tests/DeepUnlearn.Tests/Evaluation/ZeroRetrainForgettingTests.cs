using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Unlearning;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// ZRF against closed forms: a model identical to the random teacher scores exactly 1, one whose answers share no class
/// with the teacher's scores exactly 0, a hand-made pair scores 1 − ¾·log₂(4/3); random pairs stay in [0, 1]; and the
/// evaluator's teacher is the architecture's fresh initialisation from the documented seed.
/// </summary>
public class ZeroRetrainForgettingTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void Score_IdenticalToTeacher_ExactlyOne()
    {
        float[] p = Softmax([[2, 0, -1], [0.5f, 0.5f, 3]]);
        Assert.Equal(1, ZeroRetrainForgetting.Score(p, p, 3), 12);
    }

    [Fact]
    public void Score_DisjointOneHotAnswers_ExactlyZero()
    {
        // JS(e_0, e_1) = ln 2 nats = 1 bit, the maximum: ZRF = 1 − 1 = 0.
        float[] model = [1, 0, 0, 0, 1, 0];
        float[] teacher = [0, 1, 0, 0, 0, 1];
        Assert.Equal(0, ZeroRetrainForgetting.Score(model, teacher, 3), 12);
    }

    [Fact]
    public void Score_OneHotAgainstUniform_ClosedForm()
    {
        // p = (1, 0), q = (½, ½), m = (¾, ¼): KL(p‖m) = ln(4/3), KL(q‖m) = ½ln(2/3) + ½ln 2 = ½ln(4/3),
        // JS = ½·ln(4/3) + ½·½ln(4/3) = ¾ ln(4/3) nats; ZRF = 1 − ¾ log₂(4/3) ≈ 0.68872.
        double expected = 1 - (0.75 * Math.Log2(4.0 / 3));
        Assert.Equal(expected, ZeroRetrainForgetting.Score([1, 0], [0.5f, 0.5f], 2), 7);
        Assert.Equal(0.688722, expected, 6);
    }

    [Fact]
    public void Score_RandomLogits_WithinZeroAndOne()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            float[][] a = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray()).ToArray();
            float[][] b = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray()).ToArray();
            Assert.InRange(ZeroRetrainForgetting.Score(Softmax(a), Softmax(b), 5), 0, 1);
        }
    }

    [Fact]
    public void Evaluate_ModelIsTheTeacher_ZrfExactlyOneAndTheOriginalLower()
    {
        // The evaluator's T_d is the original's architecture freshly initialised from TeacherSeed: scoring that very
        // model gives JS = 0 on every forget sample. The trained original answers differently (ZRF < 1).
        using ClassifierModel teacher = setup.Original.CreateFreshlyInitialized(ZeroRetrainForgetting.TeacherSeed);
        var evaluator = new UnlearningEvaluator(setup.Context) { Probe = false };
        double teacherZrf = evaluator.Evaluate(teacher).Outputs!.Zrf!.Value;
        double originalZrf = evaluator.Evaluate(setup.Original).Outputs!.Zrf!.Value;
        Assert.Equal(1, teacherZrf, 6);
        Assert.InRange(originalZrf, 0, 0.9);
    }

    private static float[] Softmax(float[][] logits) => logits.SelectMany(row =>
    {
        double max = row.Max();
        double[] e = row.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum));
    }).ToArray();
}
