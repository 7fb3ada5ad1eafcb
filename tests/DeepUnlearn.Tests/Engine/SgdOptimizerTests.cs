using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>SGD against PyTorch's own updates (Golden/pytorch_optimizers.json, torch.optim with foreach=False).</summary>
public sealed class SgdOptimizerTests
{
    public SgdOptimizerTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpSgd_MaximizeWithWeightDecay_MovesWeightsAwayFromZero()
    {
        // Zero gradient, weight decay λ: PyTorch's step is p ← p − lr·λ·p whether maximising or not.
        // TorchSharp's maximize step is p ← p + lr·λ·p.
        using var scope = torch.NewDisposeScope();
        var p = new Parameter(torch.tensor(new double[] { 1.0 }));
        p.grad = torch.zeros(new long[] { 1 }, torch.float64);
        using var sgd = torch.optim.SGD([p], 0.1, weight_decay: 0.5, maximize: true);

        sgd.step();

        Assert.Equal(1.05, p.item<double>(), 12);
    }

    [Fact]
    public void SgdOptimizer_MaximizeWithWeightDecay_ShrinksWeightsAsPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var p = new Parameter(torch.tensor(new double[] { 1.0 }));
        p.grad = torch.zeros(new long[] { 1 }, torch.float64);
        using var sgd = new SgdOptimizer([p], 0.1, weightDecay: 0.5, maximize: true);

        sgd.step();

        Assert.Equal(0.95, p.item<double>(), 12);
        Assert.Equal(0.0, p.grad!.item<double>());
    }

    [Theory]
    [InlineData("sgd_momentum_dampening_maximize")]
    [InlineData("sgd_nesterov")]
    [InlineData("sgd_plain")]
    public void SgdOptimizer_GoldenCase_MatchesPyTorchAfterOneAndThreeSteps(string name)
    {
        using var scope = torch.NewDisposeScope();
        GoldenCase golden = GoldenCase.Load(name);
        Parameter[] parameters = golden.Parameters();
        JsonElement d = golden.Defaults;
        using var sgd = new SgdOptimizer(
            golden.Groups(parameters, (ps, o) => new SGD.ParamGroup(ps, new SGD.Options { LearningRate = o.Lr, weight_decay = o.WeightDecay })),
            d.GetProperty("lr").GetDouble(),
            momentum: Get(d, "momentum"),
            dampening: Get(d, "dampening"),
            weightDecay: Get(d, "weight_decay"),
            nesterov: d.TryGetProperty("nesterov", out JsonElement n) && n.GetBoolean(),
            maximize: d.TryGetProperty("maximize", out JsonElement m) && m.GetBoolean());

        golden.Run(sgd, parameters);
    }

    [Fact]
    public void TorchSharpSgd_GoldenMaximizeCaseWithWeightDecay_DivergesFromPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        GoldenCase golden = GoldenCase.Load("sgd_momentum_dampening_maximize");
        Parameter[] parameters = golden.Parameters();
        using var sgd = torch.optim.SGD(
            golden.Groups(parameters, (ps, o) => new SGD.ParamGroup(ps, new SGD.Options { LearningRate = o.Lr, weight_decay = o.WeightDecay })),
            0.05, momentum: 0.8, dampening: 0.3, weight_decay: 1e-3, maximize: true);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => golden.Run(sgd, parameters));
    }

    [Theory]
    [InlineData("adam_l2")]
    [InlineData("adam_amsgrad_maximize")]
    [InlineData("adamw")]
    [InlineData("adamw_amsgrad")]
    public void TorchSharpAdamAndAdamW_GoldenCase_MatchPyTorch(string name)
    {
        // No trap here: TorchSharp's Adam negates the gradient before the decay, as PyTorch does.
        using var scope = torch.NewDisposeScope();
        GoldenCase golden = GoldenCase.Load(name);
        Parameter[] parameters = golden.Parameters();
        JsonElement d = golden.Defaults;
        double[] betas = d.GetProperty("betas").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        bool amsgrad = d.TryGetProperty("amsgrad", out JsonElement a) && a.GetBoolean();
        bool maximize = d.TryGetProperty("maximize", out JsonElement m) && m.GetBoolean();
        using torch.optim.Optimizer optimizer = golden.Kind == "adam"
            ? torch.optim.Adam(golden.Groups(parameters, (ps, o) => new Adam.ParamGroup(ps, new Adam.Options { LearningRate = o.Lr, weight_decay = o.WeightDecay })),
                d.GetProperty("lr").GetDouble(), betas[0], betas[1], d.GetProperty("eps").GetDouble(), Get(d, "weight_decay"), amsgrad, maximize)
            : torch.optim.AdamW(golden.Groups(parameters, (ps, o) => new AdamW.ParamGroup(ps, new AdamW.Options { LearningRate = o.Lr, weight_decay = o.WeightDecay })),
                d.GetProperty("lr").GetDouble(), betas[0], betas[1], d.GetProperty("eps").GetDouble(), Get(d, "weight_decay"), amsgrad, maximize);

        golden.Run(optimizer, parameters);
    }

    [Fact]
    public void TorchSharpParamGroupConvenienceConstructor_DropsTheOptimizersMomentum()
    {
        // SGD.ParamGroup(params, lr: x) sets momentum = 0 (and every other option it does not name), where PyTorch's
        // group inherits the optimizer's: make groups from SGD.Options, whose unset fields inherit.
        var p = new Parameter(torch.zeros(1));
        using var sgd = new SgdOptimizer([new SGD.ParamGroup([p], lr: 0.1)], 0.1, momentum: 0.9);
        using var inherits = new SgdOptimizer([new SGD.ParamGroup([p], new SGD.Options { LearningRate = 0.1 })], 0.1, momentum: 0.9);

        Assert.Equal(0.0, ((SGD.Options)sgd.ParamGroups.Cast<SGD.ParamGroup>().Single().Options).momentum);
        Assert.Equal(0.9, ((SGD.Options)inherits.ParamGroups.Cast<SGD.ParamGroup>().Single().Options).momentum);
    }

    [Fact]
    public void SgdOptimizer_GroupAskingForMaximize_IsRefused()
    {
        var p = new Parameter(torch.zeros(1));

        var e = Assert.Throws<ArgumentException>(() => new SgdOptimizer([new SGD.ParamGroup([p], new SGD.Options { maximize = true })], 0.1));

        Assert.Contains("pass maximize to SgdOptimizer instead", e.Message, StringComparison.Ordinal);
    }

    private static double Get(JsonElement defaults, string name) =>
        defaults.TryGetProperty(name, out JsonElement value) ? value.GetDouble() : 0.0;

    private sealed class GoldenCase
    {
        private readonly JsonElement _case;

        private GoldenCase(JsonElement element) => _case = element;

        public string Kind => _case.GetProperty("optimizer").GetString()!;

        public JsonElement Defaults => _case.GetProperty("defaults");

        public static GoldenCase Load(string name)
        {
            JsonDocument document = JsonDocument.Parse(File.ReadAllText(SafeTensorsTests.GoldenPath("pytorch_optimizers.json")));
            return new GoldenCase(document.RootElement.GetProperty("optimizers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name));
        }

        public Parameter[] Parameters() =>
            _case.GetProperty("params").EnumerateArray().Select(v => new Parameter(Tensor(v))).ToArray();

        /// <summary>The golden's two groups (parameters 0 and 1 with the defaults; parameter 2 with overrides), made by <paramref name="make"/>.</summary>
        public IEnumerable<TGroup> Groups<TGroup>(Parameter[] parameters, Func<Parameter[], (double? Lr, double? WeightDecay), TGroup> make)
        {
            foreach (JsonElement group in _case.GetProperty("groups").EnumerateArray())
            {
                Parameter[] members = group.GetProperty("params").EnumerateArray().Select(i => parameters[i.GetInt32()]).ToArray();
                JsonElement options = group.GetProperty("options");
                double? lr = options.TryGetProperty("lr", out JsonElement l) ? l.GetDouble() : null;
                double? wd = options.TryGetProperty("weight_decay", out JsonElement w) ? w.GetDouble() : null;
                yield return make(members, (lr, wd));
            }
        }

        public void Run(torch.optim.Optimizer optimizer, Parameter[] parameters)
        {
            JsonElement[] grads = _case.GetProperty("grads").EnumerateArray().ToArray();
            for (int step = 0; step < grads.Length; step++)
            {
                JsonElement[] stepGrads = grads[step].EnumerateArray().ToArray();
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i].grad = Tensor(stepGrads[i]);
                }
                optimizer.step();
                if (step == 0 || step == grads.Length - 1)
                {
                    JsonElement[] expected = _case.GetProperty(step == 0 ? "after_step1" : "after_step3").EnumerateArray().ToArray();
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        double[] want = expected[i].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                        double[] got = parameters[i].detach().data<double>().ToArray();
                        for (int k = 0; k < want.Length; k++)
                        {
                            Assert.Equal(want[k], got[k], 1e-12);
                        }
                    }
                }
            }
        }

        private static torch.Tensor Tensor(JsonElement value) =>
            torch.tensor(
                value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
    }
}
