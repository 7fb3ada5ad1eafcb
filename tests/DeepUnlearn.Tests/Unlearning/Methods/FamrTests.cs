using System;
using System.Linq;
using System.Threading;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Famr;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class FamrTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void UniformKl_GradientWithRespectToLogits_IsSoftmaxMinusUniform()
    {
        using var scope = TensorScope.Begin();
        const int n = 5;
        const int k = 7;
        using var generator = new Generator(3);
        Tensor logits = Tensor.Randn([n, k], DType.Float64, generator: generator).Mul(3).Detach();
        logits.RequiresGrad = true;
        Tensor perSample = FamrMethod.UniformKl(logits, Reduction.None);
        FamrMethod.UniformKl(logits, Reduction.Sum).Backward();

        double[] z = logits.Detach().ToArray<double>();
        double[] grad = logits.Grad!.ToArray<double>();
        double[] kl = perSample.Detach().ToArray<double>();
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
        using var scope = TensorScope.Begin();
        Assert.Equal(0, FamrMethod.UniformKl(Tensor.Full([3, 4], 2.5, DType.Float64)).Item(), 12);
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
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create("famr", [new("optimizer", "adamw")]));
        Assert.Contains("famr.optimizer", e.Message, StringComparison.Ordinal);
    }
}
