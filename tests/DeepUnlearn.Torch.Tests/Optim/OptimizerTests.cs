using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

public class OptimizerTests
{
    public static TheoryData<string> Kinds => new() { "sgd", "adam", "adamw" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LoadStateDict_ResumedMidRun_EndsBitIdenticalToUninterruptedRun(string kind)
    {
        long before = Tensor.LiveCount;
        using var data = TensorScope.Begin();
        using var generator = new Generator(7);
        Tensor x = Tensor.Randn([8, 4], generator: generator);
        Tensor y = Tensor.Randn([8, 3], generator: generator);
        Tensor w0 = Tensor.Randn([3, 4], generator: generator);
        Tensor b0 = Tensor.Randn([3], generator: generator);

        // Uninterrupted: six steps, the learning rate lowered after step 2 (as a schedule would).
        Tensor[] a = Fresh(w0, b0);
        using (Optimizer optA = Create(kind, a))
        {
            for (int step = 0; step < 6; step++)
            {
                TrainStep(optA, a, x, y, step);
            }
        }

        // Interrupted after three steps: state and weights leave as bytes (as through a file) ...
        Tensor[] b = Fresh(w0, b0);
        var savedTensors = new Dictionary<string, (byte[] Bytes, long[] Shape, DType DType)>();
        Dictionary<string, double> savedScalars;
        byte[][] savedWeights;
        using (Optimizer optB = Create(kind, b))
        {
            for (int step = 0; step < 3; step++)
            {
                TrainStep(optB, b, x, y, step);
            }
            using OptimizerState state = optB.StateDict();
            foreach (var (name, t) in state.Tensors)
            {
                savedTensors[name] = (t.ToBytes(), t.ShapeArray(), t.DType);
            }
            savedScalars = state.Scalars.ToDictionary();
            savedWeights = b.Select(p => p.ToBytes()).ToArray();
        }
        Assert.Contains("param_groups.0.lr", savedScalars.Keys);
        Assert.NotEmpty(savedTensors);

        // ... and a new optimizer over new parameters picks up from them.
        Tensor[] c = Fresh(w0, b0);
        for (int i = 0; i < c.Length; i++)
        {
            using Tensor saved = Tensor.FromBytes(savedWeights[i], c[i].Shape, c[i].DType);
            using (LibTorch.NoGrad())
            {
                c[i].CopyFrom(saved);
            }
        }
        using (Optimizer optC = Create(kind, c))
        {
            var restored = savedTensors.ToDictionary(kv => kv.Key, kv => Tensor.FromBytes(kv.Value.Bytes, kv.Value.Shape, kv.Value.DType));
            using (var state = new OptimizerState(restored, savedScalars))
            {
                optC.LoadStateDict(state);
            }
            Assert.Equal(0.005, optC.LearningRate);
            for (int step = 3; step < 6; step++)
            {
                TrainStep(optC, c, x, y, step);
            }
        }
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].ToArray<float>(), c[i].ToArray<float>());
            Assert.NotEqual(w0.ToArray<float>(), a[0].ToArray<float>());
        }
        foreach (Tensor p in a.Concat(b).Concat(c))
        {
            p.Dispose();
        }
        data.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_Repeated_KeepsLiveTensorCountConstant(string kind)
    {
        using var data = TensorScope.Begin();
        using var generator = new Generator(11);
        Tensor x = Tensor.Randn([8, 4], generator: generator);
        Tensor y = Tensor.Randn([8, 3], generator: generator);
        Tensor[] p = Fresh(Tensor.Randn([3, 4], generator: generator), Tensor.Randn([3], generator: generator));
        using (Optimizer optimizer = Create(kind, p))
        {
            TrainStep(optimizer, p, x, y, 0);
            long live = Tensor.LiveCount;
            for (int step = 1; step < 50; step++)
            {
                TrainStep(optimizer, p, x, y, step);
            }
            Assert.Equal(live, Tensor.LiveCount);
        }
        foreach (Tensor t in p)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void LoadStateDict_StateThatDoesNotFit_ThrowsListingProblemsAndChangesNothing()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Randn([3, 4]).RequiresGradInPlace();
        Tensor v = Tensor.Randn([5]).RequiresGradInPlace();
        using var adam = new Adam([w, v], lr: 0.01);
        w.Grad = Tensor.Ones([3, 4]);
        v.Grad = Tensor.Ones([5]);
        adam.Step();
        using OptimizerState good = adam.StateDict();
        float[] expAvg = good.Tensors["state.0.exp_avg"].ToArray<float>();

        var tensors = good.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        tensors["state.1.exp_avg"] = Tensor.Zeros([4]);
        tensors["state.7.exp_avg"] = Tensor.Zeros([4]);
        tensors["state.0.momentum_buffer"] = Tensor.Zeros([3, 4]);
        var scalars = good.Scalars.ToDictionary();
        scalars["param_groups.0.lr"] = 0.5;
        scalars["param_groups.0.momentum"] = 0.9;
        using var bad = new OptimizerState(tensors, scalars);
        var e = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(bad));
        Assert.Contains("'state.1.exp_avg' has shape [4], parameter 1 has [5]", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected 'state.7.exp_avg'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected state 'state.0.momentum_buffer'; valid keys: exp_avg, exp_avg_sq, max_exp_avg_sq, step", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected option 'param_groups.0.momentum'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0.01, adam.LearningRate);
        using OptimizerState after = adam.StateDict();
        Assert.Equal(expAvg, after.Tensors["state.0.exp_avg"].ToArray<float>());

        using Tensor other = Tensor.Zeros([5], requiresGrad: true);
        using var wrongGroups = new Adam([other], lr: 0.01);
        e = Assert.Throws<ArgumentException>(() => wrongGroups.LoadStateDict(good));
        Assert.Contains("group 0 has 2 parameters in the state, 1 in the optimizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_StateIsOwnedByTheOptimizerAndReleasedOnDispose()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Randn([3, 4]).RequiresGradInPlace();
        Tensor v = Tensor.Randn([5]).RequiresGradInPlace();
        long before = Tensor.LiveCount;
        var adam = new Adam([w, v], amsgrad: true);
        using (var step = TensorScope.Begin())
        {
            w.Grad = Tensor.Ones([3, 4]);
            v.Grad = Tensor.Ones([5]);
            adam.Step();
        }
        // Three state tensors per parameter survive the step scope (the gradients live on inside the
        // parameters, but their handles were released with the scope).
        Assert.Equal(before + 6, Tensor.LiveCount);
        adam.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
        Assert.Throws<ObjectDisposedException>(adam.Step);
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsLeftUntouched()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Ones([2]).RequiresGradInPlace();
        Tensor v = Tensor.Ones([2]).RequiresGradInPlace();
        using var sgd = new Sgd([w, v], lr: 0.5, momentum: 0.9, weightDecay: 0.1);
        w.Grad = Tensor.Ones([2]);
        sgd.Step();
        Assert.Equal([1f, 1f], v.ToArray<float>());
        Assert.Equal([1 - 0.5f * 1.1f, 1 - 0.5f * 1.1f], w.ToArray<float>());
        using OptimizerState state = sgd.StateDict();
        Assert.Equal(["state.0.momentum_buffer"], state.Tensors.Keys);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Ones([2]).RequiresGradInPlace();
        Tensor v = Tensor.Ones([2]).RequiresGradInPlace();
        using var sgd = new Sgd([new ParameterGroup([w]), new ParameterGroup([v], new Dictionary<string, double> { ["lr"] = 1 })], lr: 0.1);
        (w * v).Sum().Backward();
        Assert.NotNull(w.Grad);
        sgd.ZeroGrad();
        Assert.Null(w.Grad);
        Assert.Null(v.Grad);
    }

    [Fact]
    public void Constructor_BadParameterLists_Throw()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Ones([2]).RequiresGradInPlace();
        Assert.Contains("empty parameter list", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Tensor>(), lr: 0.1)).Message, StringComparison.Ordinal);
        Assert.Contains("more than one parameter group", Assert.Throws<ArgumentException>(() => new Sgd([new ParameterGroup([w]), new ParameterGroup([w])], lr: 0.1)).Message, StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([w], new Dictionary<string, double> { ["momentum"] = 0.9 })]));
        Assert.Contains("Adam has no option 'momentum'; valid options: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParamGroups_PerGroupOptionsOverrideDefaultsAndLearningRateSetsAll()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.Ones([2]).RequiresGradInPlace();
        Tensor v = Tensor.Ones([2]).RequiresGradInPlace();
        using var sgd = new Sgd([new ParameterGroup([w]), new ParameterGroup([v], new Dictionary<string, double> { ["lr"] = 1, ["weight_decay"] = 0 })], lr: 0.1, weightDecay: 5e-4);
        Assert.Equal(0.1, sgd.ParamGroups[0].LearningRate);
        Assert.Equal(5e-4, sgd.ParamGroups[0]["weight_decay"]);
        Assert.Equal(1, sgd.ParamGroups[1].LearningRate);
        Assert.Equal(0, sgd.ParamGroups[1]["weight_decay"]);
        sgd.LearningRate = 0.3;
        Assert.All(sgd.ParamGroups, g => Assert.Equal(0.3, g.LearningRate));
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);

        Tensor u = Tensor.Ones([3]).RequiresGradInPlace();
        sgd.AddParamGroup(new ParameterGroup([u], new Dictionary<string, double> { ["momentum"] = 0.5 }));
        Assert.Equal(0.1, sgd.ParamGroups[2].LearningRate);
        Assert.Equal(0.5, sgd.ParamGroups[2]["momentum"]);
    }

    [Fact]
    public void InPlaceOnLeafParameter_UnderNoGrad_UpdatesAndKeepsItATrainableLeaf()
    {
        using var scope = TensorScope.Begin();
        Tensor p = Tensor.From<float>([1, 2], [2]).RequiresGradInPlace();
        Tensor d = Tensor.From<float>([1, 1], [2]);
        // Outside NoGrad, libtorch refuses (a leaf that requires grad used in an in-place op).
        Assert.Throws<TorchException>(() => p.AddInPlace(d, -0.5));
        using (LibTorch.NoGrad())
        {
            p.AddInPlace(d, -0.5).MulInPlace(2).AddCDivInPlace(d, d, 1).LerpInPlace(d, 0.5).SqrtInPlace();
        }
        Assert.True(p.RequiresGrad);
        (p * p).Sum().Backward();
        using Tensor grad = p.Grad!;
        float[] values = p.ToArray<float>();
        Assert.Equal(values.Select(x => 2 * x).ToArray(), grad.ToArray<float>());
        Assert.Equal(MathF.Sqrt(((1 - 0.5f) * 2 + 1 + 1) / 2), values[0]);
    }

    private static Tensor[] Fresh(Tensor w0, Tensor b0) =>
        [TensorScope.Detach(w0.Clone().RequiresGradInPlace()), TensorScope.Detach(b0.Clone().RequiresGradInPlace())];

    private static Optimizer Create(string kind, Tensor[] parameters) => kind switch
    {
        "sgd" => new Sgd([new ParameterGroup([parameters[0]]), new ParameterGroup([parameters[1]], new Dictionary<string, double> { ["weight_decay"] = 0 })], lr: 0.01, momentum: 0.9, weightDecay: 5e-4, nesterov: true),
        "adam" => new Adam([new ParameterGroup([parameters[0]]), new ParameterGroup([parameters[1]], new Dictionary<string, double> { ["weight_decay"] = 0 })], lr: 0.01, weightDecay: 1e-2, amsgrad: true),
        "adamw" => new AdamW([new ParameterGroup([parameters[0]]), new ParameterGroup([parameters[1]], new Dictionary<string, double> { ["weight_decay"] = 0 })], lr: 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "sgd, adam or adamw"),
    };

    /// <summary>One step on ‖x Wᵀ + b − y‖², the rate lowered from step 2 on.</summary>
    private static void TrainStep(Optimizer optimizer, Tensor[] p, Tensor x, Tensor y, int step)
    {
        using var scope = TensorScope.Begin();
        if (step == 2)
        {
            optimizer.LearningRate = 0.005;
        }
        optimizer.ZeroGrad();
        Tensor residual = Functional.Linear(x, p[0], p[1]) - y;
        (residual * residual).Sum().Backward();
        optimizer.Step();
    }
}
