using System;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Famr;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class FamrTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void UniformKl_GradientWithRespectToLogits_IsSoftmaxMinusUniform()
    {
        using var scope = torch.NewDisposeScope();
        const int n = 5;
        const int k = 7;
        using var generator = new Generator(3);
        Tensor logits = torch.randn([n, k], ScalarType.Float64, generator: generator).mul(3).detach();
        logits.requires_grad = true;
        Tensor perSample = FamrMethod.UniformKl(logits, nn.Reduction.None);
        FamrMethod.UniformKl(logits, nn.Reduction.Sum).backward();

        double[] z = logits.detach().data<double>().ToArray();
        double[] grad = logits.grad!.data<double>().ToArray();
        double[] kl = perSample.detach().data<double>().ToArray();
        for (int i = 0; i < n; i++)
        {
            double[] row = z.AsSpan(i * k, k).ToArray();
            double max = row.Max();
            double norm = row.Sum(v => Math.Exp(v - max));
            double[] p = row.Select(v => Math.Exp(v - max) / norm).ToArray();
            // KL(u ‖ p) = Σ_k (1/K)·log((1/K) / p_k), and ∂/∂z_j = p_j − 1/K.
            Assert.Equal(p.Sum(pk => (1.0 / k) * Math.Log(1.0 / k / pk)), kl[i], 12);
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(p[j] - (1.0 / k), grad[(i * k) + j], 12);
            }
        }
    }

    [Fact]
    public void UniformKl_UniformLogits_IsZero()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(0, FamrMethod.UniformKl(torch.full([3, 4], 2.5, ScalarType.Float64)).ToDouble(), 12);
    }

    [Fact]
    public void Run_HugeRho_ReturnsTheOriginalWeights()
    {
        float[] original = setup.Flatten(setup.Original);
        var method = new FamrMethod(new FamrOptions { Rho = 1e12, Steps = 20, LearningRate = 0.05, BatchSize = 16 });
        using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
        float[] after = setup.Flatten(outcome.Model);
        Assert.Equal(original.Length, after.Length);
        for (int i = 0; i < original.Length; i++)
        {
            Assert.True(Math.Abs(original[i] - after[i]) <= 1e-6 * (1 + Math.Abs(original[i])), $"weight {i}: {after[i]} != {original[i]}");
        }
        Assert.True(outcome.Diagnostics["param_distance_to_original"] < 1e-5);
        Assert.Equal(20, outcome.Diagnostics["steps"]);
    }

    [Fact]
    public void Run_NoAnchor_MovesAwayAndReportsTheDistance()
    {
        float[] original = setup.Flatten(setup.Original);
        var method = new FamrMethod(new FamrOptions { Rho = 0, Steps = 20, LearningRate = 0.05, BatchSize = 16 });
        using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
        float[] after = setup.Flatten(outcome.Model);
        // The parameters are the float entries of the state dict except the BatchNorm buffers, which FAMR
        // leaves alone (evaluation mode); the distance over all entries is then the parameter distance.
        double distance = Math.Sqrt(original.Zip(after, (a, b) => ((double)a - b) * ((double)a - b)).Sum());
        Assert.True(distance > 1e-2, $"FAMR without the anchor moved only {distance}");
        Assert.Equal(distance, outcome.Diagnostics["param_distance_to_original"], 4);
        Assert.True(outcome.Diagnostics["final_kl"] >= 0);
    }

    [Fact]
    public void Run_StrongerAnchor_StaysCloser()
    {
        double Distance(double rho)
        {
            var method = new FamrMethod(new FamrOptions { Rho = rho, Steps = 20, LearningRate = 0.05, BatchSize = 16 });
            using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
            return outcome.Diagnostics["param_distance_to_original"];
        }
        double free = Distance(0);
        double anchored = Distance(5);
        Assert.True(anchored < free, $"ρ = 5 gave ‖θ − θ0‖ = {anchored}, ρ = 0 gave {free}");
    }

    [Fact]
    public void Validate_AdamW_IsRejected()
    {
        MethodOptionAssert.Rejects("famr", "optimizer", "adamw", "sgd or adam");
    }

    [Fact]
    public void Run_HeadOnly_OneFullBatchStep_IsTheClosedFormGradientStepOnTheHead()
    {
        // One plain gradient step on the mean KL over all of D_f, head only, no anchor: with features h_i of
        // the original (frozen) extractor, z_i = W0 h_i + b0 and g_i = (softmax(z_i) − u)/N, the head becomes
        // W1 = W0 − η Σ_i g_i h_iᵀ and b1 = b0 − η Σ_i g_i, and nothing else moves.
        const double eta = 0.5;
        using var scope = torch.NewDisposeScope();
        var (features, n, d) = ForgetFeatures(setup.Original);
        int k = (int)setup.Original.NumClasses;
        double[] w0 = setup.Original.Head.weight.to(ScalarType.Float64).data<double>().ToArray();
        double[] b0 = setup.Original.Head.bias!.to(ScalarType.Float64).data<double>().ToArray();
        double[] w1 = (double[])w0.Clone();
        double[] b1 = (double[])b0.Clone();
        for (int i = 0; i < n; i++)
        {
            double[] z = new double[k];
            for (int c = 0; c < k; c++)
            {
                z[c] = b0[c];
                for (int j = 0; j < d; j++)
                {
                    z[c] += w0[(c * d) + j] * features[(i * d) + j];
                }
            }
            double max = z.Max();
            double norm = z.Sum(v => Math.Exp(v - max));
            for (int c = 0; c < k; c++)
            {
                double g = ((Math.Exp(z[c] - max) / norm) - (1.0 / k)) / n;
                b1[c] -= eta * g;
                for (int j = 0; j < d; j++)
                {
                    w1[(c * d) + j] -= eta * g * features[(i * d) + j];
                }
            }
        }

        var method = new FamrMethod(new FamrOptions { Parameters = FamrParameters.Head, Rho = 0, Steps = 1, LearningRate = eta, Momentum = 0, BatchSize = n });
        using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
        double[] w = outcome.Model.Head.weight.to(ScalarType.Float64).data<double>().ToArray();
        double[] b = outcome.Model.Head.bias!.to(ScalarType.Float64).data<double>().ToArray();
        Assert.True(w1.Zip(w0).Max(p => Math.Abs(p.First - p.Second)) > 1e-4, "the closed-form step barely moves the head: the test would not notice a missing update");
        for (int i = 0; i < w.Length; i++)
        {
            Assert.True(Math.Abs(w[i] - w1[i]) <= 1e-5 * (1 + Math.Abs(w1[i])), $"head weight {i}: {w[i]} != {w1[i]}");
        }
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(b1[c], b[c], 5);
        }
        string head = setup.Original.HeadName + ".";
        var before = setup.Original.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, tensor) in outcome.Model.state_dict())
        {
            if (!name.StartsWith(head, StringComparison.Ordinal))
            {
                Assert.True(tensor.to(ScalarType.Float64).data<double>().ToArray().SequenceEqual(before[name].to(ScalarType.Float64).data<double>().ToArray()), $"{name} moved although only the head is optimised");
            }
        }
    }

    [Fact]
    public void Run_StopAtForgetAccuracy_StopsAfterTheFirstEpochThatReachesIt()
    {
        const int batch = 16;
        int batchesPerEpoch = (setup.Context.ForgetIds.Length + batch - 1) / batch;
        // 100% is reached by any model, so the rule ends the run after its first epoch.
        var stopping = new FamrMethod(new FamrOptions { Epochs = 4, BatchSize = batch, StopAtForgetAccuracy = 100 });
        using UnlearningOutcome stopped = stopping.Run(setup.Context, CancellationToken.None);
        Assert.Equal(1, stopped.Diagnostics["epochs"]);
        Assert.Equal(batchesPerEpoch, stopped.Diagnostics["steps"]);
        Assert.Equal(setup.ForgetAccuracy(stopped.Model), stopped.Diagnostics["stop_forget_accuracy"], 6);

        // Below every reachable accuracy (a negative threshold is refused, 0 is allowed but the tiny model
        // keeps some), the run goes the full length.
        var full = new FamrMethod(new FamrOptions { Epochs = 2, BatchSize = batch, Rho = 1e6, StopAtForgetAccuracy = 0 });
        using UnlearningOutcome ran = full.Run(setup.Context, CancellationToken.None);
        Assert.Equal(2, ran.Diagnostics["epochs"]);
        Assert.Equal(2 * batchesPerEpoch, ran.Diagnostics["steps"]);
        Assert.True(ran.Diagnostics["stop_forget_accuracy"] > 0);
    }

    [Theory]
    [InlineData("parameters", "backbone", "valid: all, head")]
    [InlineData("stop_at_forget_accuracy", "150", "in [0, 100]")]
    [InlineData("stop_at_forget_accuracy", "-1", "in [0, 100]")]
    public void Validate_BadScopeOrStop_IsRejectedWithTheValidRange(string key, string value, string valid)
    {
        MethodOptionAssert.Rejects("famr", key, value, valid);
    }

    /// <summary>The original's features of all of D_f, row-major [N, D], in double.</summary>
    private (double[] Features, int N, int D) ForgetFeatures(ClassifierModel model)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using DataLoader forget = setup.Context.ForgetLoader(100_000, shuffle: false);
        foreach (Batch all in forget.Epoch(0, CancellationToken.None))
        {
            Tensor features = model.Features(all.Images);
            return (features.to(ScalarType.Float64).data<double>().ToArray(), (int)features.size(0), (int)features.size(1));
        }
        throw new InvalidOperationException("the forget set is empty");
    }
}
