using System;
using System.Collections.Generic;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// The contract every registered method must meet (timm's registry-driven tests, applied to methods): on a
/// tiny class-forgetting problem it finishes, returns finite weights, leaks no tensor, leaves the original
/// untouched and lowers the accuracy on the forget set.
/// </summary>
public class MethodContractTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    // Settings that size each method for a 480-image problem (defaults target real datasets).
    private static readonly Dictionary<string, KeyValuePair<string, string>[]> s_tinySettings = new(StringComparer.Ordinal)
    {
        ["retrain"] = [new("epochs", "3")],
        ["finetune"] = [new("epochs", "10"), new("learning_rate", "0.1"), new("batch_size", "32"), new("weight_decay", "0.05")],
        // The tiny model is saturated (p_y rounds to 1 in float32), where PGU's bounded loss −log(1 − p_y + δ)
        // has no gradient at the paper's δ = 0.05; one class in four also makes D_f a quarter of D.
        ["pgu"] = [new("offset", "0.000001"), new("start_learning_rate", "0.5"), new("end_learning_rate", "0.1"), new("epochs", "30"), new("eval_every", "3"), new("covariance_samples", "200"), new("eval_samples", "200")],
        // With D_f a quarter of D, I_D is roughly ≥ I_f/4 everywhere, so I_f > α·I_D needs α < 4.
        ["ssd"] = [new("alpha", "2")],
        ["deltagrad-head"] = [new("head_epochs", "10"), new("batch_size", "64")],
        // The tiny model is saturated (forget loss ~1e-9, so ~1e-9 gradients): only a huge rate escapes, and the
        // ascent then explodes within a couple of steps, so the loss ceiling stops it there.
        ["gradient-ascent"] = [new("epochs", "5"), new("learning_rate", "5"), new("batch_size", "32"), new("max_forget_loss", "2")],
        ["random-label"] = [new("epochs", "3"), new("learning_rate", "0.05"), new("batch_size", "32")],
        ["salun"] = [new("epochs", "3"), new("learning_rate", "0.05"), new("batch_size", "32")],
        ["scrub"] = [new("epochs", "3"), new("max_step_epochs", "2"), new("learning_rate", "0.002"), new("forget_batch_size", "32"), new("retain_batch_size", "32")],
    };

    public static TheoryData<string> Methods() => new(MethodRegistry.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Run_OnTinyClassForgetting_MeetsTheContract(string name)
    {
        int threads = LibTorch.NumThreads;
        LibTorch.SetNumThreads(1);
        try
        {
            float[] before = setup.flatten(setup.Original);
            long live = Tensor.SettledLiveCount();
            IUnlearningMethod method = MethodRegistry.Create(name, s_tinySettings.GetValueOrDefault(name, []));
            double forgetAccuracy;
            using (UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None))
            {
                Assert.Equal(name, method.Name);
                Assert.NotSame(setup.Original, outcome.Model);
                Assert.True(outcome.Seconds > 0);
                Assert.All(setup.flatten(outcome.Model), v => Assert.True(float.IsFinite(v), $"{name} produced a non-finite weight"));
                Assert.All(outcome.Diagnostics.Values, v => Assert.False(double.IsNaN(v), $"{name} reported a NaN diagnostic"));
                forgetAccuracy = setup.ForgetAccuracy(outcome.Model);
            }
            Assert.Equal(live, Tensor.LiveCount);
            Assert.Equal(before, setup.flatten(setup.Original));
            Assert.True(forgetAccuracy < setup.OriginalForgetAccuracy,
                $"{name}: forget accuracy {forgetAccuracy:F1}% did not fall below the original's {setup.OriginalForgetAccuracy:F1}%");
        }
        finally
        {
            LibTorch.SetNumThreads(threads);
        }
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
