using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Torch.Nn;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Modules;

public class ModuleTests
{
    private sealed class Block : Module
    {
        public Block()
        {
            Conv1 = RegisterModule("conv1", new Conv2d(3, 4, 3, padding: 1, bias: false));
            Bn1 = RegisterModule("bn1", new BatchNorm2d(4));
            Fc = RegisterModule("fc", new Linear(4, 2));
        }

        public Conv2d Conv1 { get; }

        public BatchNorm2d Bn1 { get; }

        public Linear Fc { get; }

        public override Tensor Forward(Tensor input) =>
            Fc.Forward(Functional.AdaptiveAvgPool2d(Bn1.Forward(Conv1.Forward(input)).Relu(), 1, 1).Flatten(1));
    }

    [Fact]
    public void StateDict_UsesTorchvisionNamesAndOrder()
    {
        using var model = new Block();
        string[] names = model.StateDict().Select(kv => kv.Key).ToArray();
        Assert.Equal(
            ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias"],
            names);
        Assert.Equal((4 * 3 * 9) + 4 + 4 + (4 * 2) + 2, model.ParameterCount());
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void Sequential_NamesChildrenByPosition()
    {
        using var seq = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.NamedParameters().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void DeepCopy_IsIndependentAndRebindsFields()
    {
        using var scope = TensorScope.Begin();
        using var model = new Block();
        using var copy = (Block)model.DeepCopy();
        Assert.NotSame(model.Conv1, copy.Conv1);
        Assert.Same(copy.NamedModules().Single(m => m.Name == "conv1").Module, copy.Conv1);
        Assert.Same(copy.NamedParameters().First().Parameter, copy.Conv1.Weight);
        Assert.Equal(model.Fc.Weight.ToArray<float>(), copy.Fc.Weight.ToArray<float>());
        using (LibTorch.NoGrad())
        {
            copy.Fc.Weight.AddInPlace(1.0);
        }
        Assert.NotEqual(model.Fc.Weight.ToArray<float>(), copy.Fc.Weight.ToArray<float>());
        Assert.True(copy.Fc.Weight.RequiresGrad);
    }

    [Fact]
    public void LoadStateDict_CopiesValuesAndRejectsMismatch()
    {
        using var scope = TensorScope.Begin();
        using var a = new Block();
        using var b = new Block();
        var state = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        b.LoadStateDict(state);
        Assert.Equal(a.Conv1.Weight.ToArray<float>(), b.Conv1.Weight.ToArray<float>());

        var wrong = new Dictionary<string, Tensor>(state) { ["fc.weight"] = Tensor.Zeros([3, 4]) };
        wrong.Remove("fc.bias");
        wrong["extra"] = Tensor.Zeros([1]);
        var e = Assert.Throws<ArgumentException>(() => b.LoadStateDict(wrong));
        Assert.Contains("'fc.weight' has shape [3, 4] in the state, [2, 4] in the model", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing 'fc.bias'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected 'extra'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDtype_KeepsParameterIdentity()
    {
        using var model = new Block();
        Tensor weight = model.Fc.Weight;
        model.To(DType.Float64);
        Assert.Same(weight, model.Fc.Weight);
        Assert.Equal(DType.Float64, model.Fc.Weight.DType);
        Assert.Equal(DType.Int64, model.Bn1.NumBatchesTracked!.DType);
        Assert.True(model.Fc.Weight.RequiresGrad);
    }

    [Fact]
    public void FreezeAndTrainEval_PropagateToChildren()
    {
        using var model = new Block();
        model.Freeze(name => name.StartsWith("conv1", StringComparison.Ordinal));
        Assert.False(model.Conv1.Weight.RequiresGrad);
        Assert.True(model.Fc.Weight.RequiresGrad);
        Assert.Equal(4, model.TrainableParameters().Count());
        model.Eval();
        Assert.All(model.NamedModules(), m => Assert.False(m.Module.IsTraining));
    }

    [Fact]
    public void DefaultInit_MatchesPyTorchBounds()
    {
        using var scope = TensorScope.Begin();
        using var conv = new Conv2d(8, 16, 3);
        double bound = 1 / Math.Sqrt(8 * 9);
        Assert.True(conv.Weight.Abs().Max().Item() <= bound);
        Assert.True(conv.Weight.Abs().Max().Item() > 0.9 * bound);
        Assert.True(conv.Bias!.Abs().Max().Item() <= bound);
        Assert.Equal((72L, 144L), Init.Fans(conv.Weight));
    }

    [Fact]
    public void BatchNorm2d_TrainingUpdatesRunningStatsWithUnbiasedVariance()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm2d(1, momentum: 0.5);
        Tensor x = Tensor.From<float>([1, 2, 3, 6], [4, 1, 1, 1]);
        Tensor y = bn.Forward(x);
        // batch mean 3, biased variance 3.5, unbiased 14/3.
        Assert.Equal(1.5, bn.RunningMean!.Item(), 6);
        Assert.Equal((0.5 * 1) + (0.5 * 14.0 / 3), bn.RunningVar!.Item(), 6);
        Assert.Equal(1, bn.NumBatchesTracked!.ItemInt64());
        Assert.Equal((1 - 3) / Math.Sqrt(3.5 + 1e-5), y.ToArray<float>()[0], 5);
        bn.Eval();
        Tensor z = bn.Forward(x);
        Assert.Equal((1 - 1.5) / Math.Sqrt(bn.RunningVar.Item() + 1e-5), z.ToArray<float>()[0], 5);
    }

    [Fact]
    public void Dispose_ReleasesEveryTensor()
    {
        long before = Tensor.LiveCount;
        var model = new Block();
        var copy = model.DeepCopy();
        Assert.True(Tensor.LiveCount > before);
        model.Dispose();
        copy.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }
}
