using System;
using System.Collections.Generic;
using System.Threading;
using DeepUnlearn.Tests.Unlearning.Methods;
using TorchSharp;
using DeepUnlearn.Unlearning;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// The contract every registered method must meet at its default settings (timm's registry-driven tests, applied to
/// methods), on <see cref="ContractProblem"/>: it finishes, returns finite weights, leaks no tensor, leaves the original
/// untouched, moves the forget set the right way (its loss rises, its accuracy does not) and keeps the retain accuracy
/// within <see cref="DefaultRetainDrop"/> points of the original's, or within the wider bound stated for it below.
/// </summary>
public class MethodContractTests(ContractProblem problem, ITestOutputHelper output) : IClassFixture<ContractProblem>
{
    /// <summary>The retain accuracy a method may lose at its defaults, in points.</summary>
    private const double DefaultRetainDrop = 10;

    /// <summary>
    /// Methods whose defaults cost more retain accuracy on this problem, with the bound they are held to (measured with
    /// TorchSharp 0.107 / libtorch 2.10 on one thread: the drop in parentheses).
    /// </summary>
    private static readonly Dictionary<string, double> s_retainDrop = new(StringComparer.Ordinal)
    {
        // The paper's objective over every weight pulls the shared features towards uniform outputs on D_f, and
        // the anchor wins back only part of it (see FamrOptions): retain 100% → 49.7% (50.3 points).
        ["famr"] = 55,
    };

    // Measured drops of the others (same run): ssd 5.3 points (100% → 94.7%), retrain 0.1, none for finetune,
    // gradient-ascent, random-label, salun, scrub. pgu and deltagrad-head are held to the default bound.

    public static TheoryData<string> Methods() => new(MethodRegistry.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Run_DefaultSettings_MeetsTheContract(string name)
    {
        using var threads = new SingleThread();
        float[] before = ContractProblem.Flatten(problem.Original);
        // Tensors made on this thread minus those disposed on it: TorchSharp's global count also keeps one for every
        // Parameter ever made, and runs build models. The loaders run on this thread (workers = 0).
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        IUnlearningMethod method = MethodRegistry.Create(name);
        (double Accuracy, double Loss) forget;
        (double Accuracy, double Loss) retain;
        double seconds;
        using (UnlearningOutcome outcome = method.Run(problem.Context, CancellationToken.None))
        {
            Assert.Equal(name, method.Name);
            Assert.NotSame(problem.Original, outcome.Model);
            Assert.True(outcome.Seconds > 0);
            Assert.All(ContractProblem.Flatten(outcome.Model), v => Assert.True(float.IsFinite(v), $"{name} produced a non-finite weight"));
            Assert.All(outcome.Diagnostics.Values, v => Assert.False(double.IsNaN(v), $"{name} reported a NaN diagnostic"));
            forget = problem.Evaluate(outcome.Model, problem.Context.ForgetIds);
            retain = problem.Evaluate(outcome.Model, problem.Context.RetainIds);
            seconds = outcome.Seconds;
        }
        var (forget0, retain0) = (problem.OriginalForget, problem.OriginalRetain);
        output.WriteLine($"{name}: forget {forget0.Accuracy:F1}% → {forget.Accuracy:F1}% (loss {forget0.Loss:F3} → {forget.Loss:F3}), retain {retain0.Accuracy:F1}% → {retain.Accuracy:F1}%, {seconds:F1} s");
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(before, ContractProblem.Flatten(problem.Original));

        Assert.True(forget.Loss > 1.1 * forget0.Loss, $"{name}: the forget-set loss went from {forget0.Loss:F3} to {forget.Loss:F3}; it must rise");
        Assert.True(forget.Accuracy <= forget0.Accuracy, $"{name}: the forget accuracy rose from {forget0.Accuracy:F1}% to {forget.Accuracy:F1}%");
        double bound = s_retainDrop.GetValueOrDefault(name, DefaultRetainDrop);
        Assert.True(retain.Accuracy >= retain0.Accuracy - bound, $"{name}: retain accuracy {retain0.Accuracy:F1}% → {retain.Accuracy:F1}%, more than {bound} points lost");
    }

    [Fact]
    public void Create_UnknownMethod_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create("forget-everything"));
        foreach (string name in MethodRegistry.Names)
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_UnknownSetting_ListsValidKeys()
    {
        MethodOptionAssert.Rejects("finetune", "learning_rat", "0.1", "learning_rate");
    }

    [Fact]
    public void Create_InvalidValue_SaysWhatIsValid()
    {
        MethodOptionAssert.Rejects("finetune", "epochs", "0", "at least 1");
    }
}
