using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Unlearning;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Integration;

/// <summary>
/// End to end on the real Fashion-MNIST: FAMR — the demo's headline method — forgets a class while keeping
/// the rest (the paper's class-forgetting claim, scaled to one epoch of smallcnn), in its head-only form; the
/// paper's all-parameter form is held to what it was measured to do. (The original's own accuracy is
/// <see cref="FashionMnistTrainingTests"/>'.)
/// </summary>
[Collection(FashionMnistCollection.Name)]
public class FashionMnistIntegrationTests(FashionMnistOriginal original, ITestOutputHelper output)
{
    private const int Trouser = 1;

    [Fact]
    public void Famr_ForgetsTrouser_AndKeepsTheRetainAccuracy()
    {
        // The target, met by FAMR on the classification head with the forget-accuracy stop
        // (measured: 99.1% → 0.0% forget, 88.5% → 87.2% retain, one epoch over D_f, 4 s).
        var (forgetBefore, forgetAfter, retainBefore, retainAfter) = ForgetTrouser(new("parameters", "head"), new("stop_at_forget_accuracy", "5"));
        Assert.True(forgetBefore > 90, $"the original already fails on Trouser ({forgetBefore:F2}%)");
        Assert.True(forgetAfter <= 5, $"famr left {forgetAfter:F2}% forget accuracy (> 5%)");
        Assert.True(retainAfter >= retainBefore - 3, $"famr dropped the retain accuracy from {retainBefore:F2}% to {retainAfter:F2}% (> 3 points)");
    }

    [Fact]
    public void Famr_PaperDefaults_ForgetMostOfTrouser_AtACostToTheRetainAccuracy()
    {
        // The paper's form (every parameter, registered defaults), minimising its composite objective with the anchor
        // at full strength under momentum (FamrUpdate): measured 98.9% → 17.1% forget accuracy and 88.2% → 83.5%
        // retain accuracy (TorchSharp 0.107 / libtorch 2.10, 2026-12-07). The earlier "forgets completely" came from
        // an anchor weakened ten-fold by momentum; at the true objective the anchor holds part of the class. This
        // guards that measured behaviour, so a change that makes either number worse shows up.
        var (_, forgetAfter, retainBefore, retainAfter) = ForgetTrouser();
        Assert.True(forgetAfter <= 30, $"famr left {forgetAfter:F2}% forget accuracy (> 30%; measured 17.1%)");
        Assert.True(retainAfter >= retainBefore - 7, $"famr dropped the retain accuracy from {retainBefore:F2}% to {retainAfter:F2}% (> 7 points; measured 4.7)");
    }

    private (double ForgetBefore, double ForgetAfter, double RetainBefore, double RetainAfter) ForgetTrouser(params KeyValuePair<string, string>[] settings)
    {
        UnlearningContext context = ForgetClass(Trouser);
        double retainBefore = original.Accuracy(original.Model, context.RetainIds);
        double forgetBefore = original.Accuracy(original.Model, context.ForgetIds);
        IUnlearningMethod famr = MethodRegistry.Create("famr", settings);
        using UnlearningOutcome outcome = famr.Run(context, CancellationToken.None);
        double forgetAfter = original.Accuracy(outcome.Model, context.ForgetIds);
        double retainAfter = original.Accuracy(outcome.Model, context.RetainIds);
        string set = settings.Length == 0 ? "defaults" : string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"));
        output.WriteLine($"famr ({set}): forget {forgetBefore:F2}% → {forgetAfter:F2}%, retain {retainBefore:F2}% → {retainAfter:F2}% in {outcome.Seconds:F1} s");
        return (forgetBefore, forgetAfter, retainBefore, retainAfter);
    }

    /// <summary>A class-forgetting request for <paramref name="forgottenClass"/> over the training ids.</summary>
    private UnlearningContext ForgetClass(int forgottenClass)
    {
        ForgetSets sets = ForgetRequest.ForClasses(forgottenClass).Resolve(original.Data.Train, original.Data.Split.Train);
        return new UnlearningContext(original.Model, original.Data, sets.Forget, sets.Retain, original.Data.Split.Validation, sets.ForgottenClasses, FashionMnistOriginal.Recipe, torch.CPU, seed: 0) { Workers = 2 };
    }
}
