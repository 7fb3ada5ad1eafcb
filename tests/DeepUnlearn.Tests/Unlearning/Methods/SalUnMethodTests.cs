using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.SalUn;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class SalUnMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly SalUnOptions s_tiny = new() { Epochs = 3, LearningRate = 0.05, BatchSize = 32 };

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.37)]
    [InlineData(1.0)]
    public void Compute_Ratio_KeepsExactlyThatFractionOfTheWeights(double ratio)
    {
        using var threads = new SingleThread();
        using ClassifierModel model = setup.Context.CopyOriginal();
        using SaliencyMask mask = SalUnMethod.ComputeMask(setup.Context, model, s_tiny with { MaskRatio = ratio }, CancellationToken.None);
        long total = model.parameters().Sum(p => p.numel());
        Assert.Equal(total, mask.Total);
        Assert.Equal((long)Math.Floor(total * ratio), mask.Kept);
        long ones = 0;
        foreach ((string name, Tensor p) in model.named_parameters())
        {
            Tensor m = mask.Masks[name];
            Assert.Equal(p.shape, m.shape);
            float[] values = m.data<float>().ToArray();
            Assert.All(values, v => Assert.True(v is 0f or 1f));
            ones += values.Count(v => v == 1f);
        }
        Assert.Equal(mask.Kept, ones);
    }

    [Fact]
    public void Compute_KeepsTheLargestForgetGradients_AndLeavesTheModelAsItWas()
    {
        // An untrained original: the trained tiny model is so saturated that most forget gradients are exactly 0
        // (softmax = 1 in float32), and the ranking would be among ties.
        using var threads = new SingleThread();
        using ClassifierModel fresh = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 3 });
        UnlearningContext context = Contexts.WithOriginal(setup, fresh);
        using ClassifierModel model = context.CopyOriginal();
        float[] weightsBefore = setup.Flatten(model);
        using SaliencyMask mask = SalUnMethod.ComputeMask(context, model, s_tiny, CancellationToken.None);
        Assert.Equal(weightsBefore, setup.Flatten(model));
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));

        // The reference saliency: |∇ Σ_{D_f} CE| at θ_o in evaluation mode, all of D_f in one batch.
        using ClassifierModel reference = fresh.DeepCopy();
        reference.eval();
        using (DataLoader forget = context.ForgetLoader(1000, shuffle: false))
        {
            foreach (Batch batch in forget.Epoch(0))
            {
                using var scope = torch.NewDisposeScope();
                torch.nn.functional.cross_entropy(reference.call(batch.Images), batch.Labels, reduction: nn.Reduction.Sum).backward();
            }
        }
        float keptMin = float.PositiveInfinity;
        float droppedMax = 0;
        foreach ((string name, Tensor p) in reference.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            float[] saliency = p.grad!.abs().data<float>().ToArray();
            float[] m = mask.Masks[name].data<float>().ToArray();
            for (int i = 0; i < saliency.Length; i++)
            {
                if (m[i] == 1f)
                {
                    keptMin = Math.Min(keptMin, saliency[i]);
                }
                else
                {
                    droppedMax = Math.Max(droppedMax, saliency[i]);
                }
            }
        }
        Assert.True(keptMin >= droppedMax * (1 - 1e-5), $"a kept weight has saliency {keptMin:G6} below a dropped one's {droppedMax:G6}");
        Assert.True(keptMin > 0);
    }

    [Fact]
    public void Run_WeightsOutsideTheMask_AreBitIdenticalToTheOriginal()
    {
        using var threads = new SingleThread();
        using ClassifierModel copy = setup.Context.CopyOriginal();
        using SaliencyMask mask = SalUnMethod.ComputeMask(setup.Context, copy, s_tiny, CancellationToken.None);
        using UnlearningOutcome outcome = new SalUnMethod(s_tiny).Run(setup.Context, CancellationToken.None);
        Dictionary<string, Tensor> original = setup.Original.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        long frozen = 0;
        long salient = 0;
        long salientChanged = 0;
        foreach ((string name, Tensor p) in outcome.Model.named_parameters())
        {
            float[] after = p.data<float>().ToArray();
            float[] before = original[name].data<float>().ToArray();
            float[] m = mask.Masks[name].data<float>().ToArray();
            for (int i = 0; i < after.Length; i++)
            {
                if (m[i] == 0f)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(after[i]));
                    frozen++;
                }
                else
                {
                    salient++;
                    salientChanged += after[i] != before[i] ? 1 : 0;
                }
            }
        }
        Assert.Equal(mask.Total - mask.Kept, frozen);
        Assert.True(salientChanged > salient / 2, $"only {salientChanged} of {salient} salient weights moved");
        Assert.Equal(0.5, outcome.Diagnostics["salient_fraction"], 3);
    }

    [Theory]
    [InlineData("mask_ratio", "0")]
    [InlineData("mask_ratio", "1.5")]
    public void Create_InvalidMaskRatio_SaysWhatIsValid(string key, string value)
    {
        MethodOptionAssert.Rejects("salun", key, value, "in (0, 1]");
    }
}
