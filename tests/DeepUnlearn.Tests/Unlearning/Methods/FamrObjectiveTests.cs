using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Famr;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// FAMR must minimise (1/|D_f|) Σ KL(u ‖ softmax f_θ(x)) + (ρ/2)‖θ − θ0‖² whatever the optimizer: checked on softmax
/// regression, where the converged θ can be tested against the stationarity equation ∇L_KL(θ) + ρ(θ − θ0) = 0 with a
/// gradient computed by hand, and where the first steps can be computed by hand.
/// </summary>
public class FamrObjectiveTests(SoftmaxRegressionProblem problem) : IClassFixture<SoftmaxRegressionProblem>
{
    private const double Rho = 0.5;

    [Theory]
    [InlineData("sgd", 0.0, 0.05, 1000)]
    [InlineData("sgd", 0.9, 0.01, 400)]
    [InlineData("adam", 0.0, 0.003, 1000)] // Adam at a constant rate can drift in a small cycle around the optimum; 0.003 settles

    public void Run_FullBatchToConvergence_IsAStationaryPointOfTheWholeObjective(string optimizer, double momentum, double learningRate, int steps)
    {
        using var threads = new SingleThread();
        var method = new FamrMethod(SettingsOf(optimizer, momentum, learningRate, steps));
        using UnlearningOutcome outcome = method.Run(problem.Context, CancellationToken.None);
        double[] theta = SoftmaxRegressionProblem.Parameters(outcome.Model);
        double[] kl = problem.KlGradient(theta);
        double[] anchor = theta.Zip(problem.Theta0, (t, t0) => Rho * (t - t0)).ToArray();
        double residual = Norm(kl.Zip(anchor, (a, b) => a + b).ToArray());
        double klNorm = Norm(kl);
        // The anchor is doing work (the KL gradient it balances is far from 0) ...
        Assert.True(klNorm > 1e-2, $"‖∇L_KL‖ = {klNorm:G3}: the anchor balances nothing, the test would not see a wrong anchor");
        // ... and balances it exactly. The former explicit prox after a momentum step stopped where
        // ∇L_KL = −ρ(1 − μ)(θ − θ0), a residual of μ/(1 − μ) = 9 × ‖∇L_KL‖ at μ = 0.9.
        Assert.True(residual <= 1e-4 * klNorm, $"{optimizer} (μ = {momentum}): ‖∇L_KL + ρ(θ − θ0)‖ = {residual:G3} against ‖∇L_KL‖ = {klNorm:G3}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void Run_TwoSgdSteps_SatisfyTheImplicitAnchorStepEquation(double momentum)
    {
        // Step t is v_{t+1} = μ v_t + ∇L_KL(θ_t) + ρ(θ_{t+1} − θ0), θ_{t+1} = θ_t − η v_{t+1}, with v_0 = 0.
        // The first step gives v_1 = (θ0 − θ1)/η; the second must satisfy
        // θ2 = θ1 − η (μ v_1 + ∇L_KL(θ1) + ρ(θ2 − θ0)), which is checked with θ1, θ2 from the method.
        const double eta = 0.5;
        using var threads = new SingleThread();
        double[] theta1 = RunSteps(1, new FamrOptions { LearningRate = eta, Rho = Rho, Momentum = momentum, BatchSize = 100_000 });
        double[] theta2 = RunSteps(2, new FamrOptions { LearningRate = eta, Rho = Rho, Momentum = momentum, BatchSize = 100_000 });
        double[] theta0 = problem.Theta0;
        double[] g0 = problem.KlGradient(theta0);
        double[] g1 = problem.KlGradient(theta1);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < theta0.Length; i++)
        {
            // First step: θ1 = θ0 − η(g0 + ρ(θ1 − θ0)), i.e. θ1 = θ0 − η g0 / (1 + ηρ).
            double expected1 = theta0[i] - (eta * g0[i] / (1 + (eta * Rho)));
            Assert.True(Math.Abs(theta1[i] - expected1) <= 1e-5 * (1 + Math.Abs(expected1)), $"step 1, θ[{i}] = {theta1[i]}, expected {expected1}");
            double v1 = (theta0[i] - theta1[i]) / eta;
            double rhs = theta1[i] - (eta * ((momentum * v1) + g1[i] + (Rho * (theta2[i] - theta0[i]))));
            worst = Math.Max(worst, Math.Abs(theta2[i] - rhs));
            scale = Math.Max(scale, Math.Abs(theta2[i] - theta1[i]));
        }
        Assert.True(scale > 1e-3, "the second step barely moves θ: the check would not see a wrong step");
        Assert.True(worst <= 1e-4 * scale, $"μ = {momentum}: the second step misses its equation by {worst:G3} (step size {scale:G3})");
    }

    [Fact]
    public void Run_TwoAdamSteps_MatchAdamOnTheWholeObjectivesGradient()
    {
        // Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8) on G(θ) = ∇L_KL(θ) + ρ(θ − θ0): at θ0 the anchor's term is 0, at θ1 it is not.
        const double eta = 0.01;
        const double beta1 = 0.9;
        const double beta2 = 0.999;
        const double eps = 1e-8;
        using var threads = new SingleThread();
        var options = new FamrOptions { Optimizer = OptimizerKind.Adam, LearningRate = eta, Rho = 50, BatchSize = 100_000 };
        double[] theta1 = RunSteps(1, options);
        double[] theta2 = RunSteps(2, options);
        double[] theta0 = problem.Theta0;
        double[] g0 = problem.KlGradient(theta0);
        double[] kl1 = problem.KlGradient(theta1);
        double worst = 0;
        double anchorEffect = 0;
        for (int i = 0; i < theta0.Length; i++)
        {
            double m = (1 - beta1) * g0[i];
            double v = (1 - beta2) * g0[i] * g0[i];
            double expected1 = theta0[i] - (eta / (1 - beta1) * m / ((Math.Sqrt(v) / Math.Sqrt(1 - beta2)) + eps));
            Assert.True(Math.Abs(theta1[i] - expected1) <= 1e-6 + (1e-5 * Math.Abs(expected1)), $"step 1, θ[{i}] = {theta1[i]}, expected {expected1}");
            double g1 = kl1[i] + (50 * (theta1[i] - theta0[i]));
            m = (beta1 * m) + ((1 - beta1) * g1);
            v = (beta2 * v) + ((1 - beta2) * g1 * g1);
            double expected2 = theta1[i] - (eta / (1 - (beta1 * beta1)) * m / ((Math.Sqrt(v) / Math.Sqrt(1 - (beta2 * beta2))) + eps));
            worst = Math.Max(worst, Math.Abs(theta2[i] - expected2));
            // What the anchor changes in step 2 (Adam on ∇L_KL alone would give this much less).
            double mKl = (beta1 * (1 - beta1) * g0[i]) + ((1 - beta1) * kl1[i]);
            double vKl = (beta2 * (1 - beta2) * g0[i] * g0[i]) + ((1 - beta2) * kl1[i] * kl1[i]);
            double withoutAnchor = theta1[i] - (eta / (1 - (beta1 * beta1)) * mKl / ((Math.Sqrt(vKl) / Math.Sqrt(1 - (beta2 * beta2))) + eps));
            anchorEffect = Math.Max(anchorEffect, Math.Abs(expected2 - withoutAnchor));
        }
        Assert.True(anchorEffect > 1e-3, $"the anchor changes step 2 by at most {anchorEffect:G3}: the check would not see it missing");
        Assert.True(worst <= 1e-5, $"step 2 differs from Adam on ∇L_KL + ρ(θ − θ0) by {worst:G3}");
    }

    [Fact]
    public void Validate_AdamWithInfiniteRho_IsRejected()
    {
        MethodOptionAssert.Rejects("famr", "rho", "Infinity", "finite with optimizer=adam", new KeyValuePair<string, string>("optimizer", "adam"));
    }

    private FamrOptions SettingsOf(string optimizer, double momentum, double learningRate, int steps) => new()
    {
        Optimizer = optimizer == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
        Momentum = momentum,
        LearningRate = learningRate,
        Rho = Rho,
        Steps = steps,
        BatchSize = 100_000, // all of D_f in every step: gradient descent on the objective itself
    };

    private double[] RunSteps(int steps, FamrOptions options)
    {
        using UnlearningOutcome outcome = new FamrMethod(options with { Steps = steps }).Run(problem.Context, CancellationToken.None);
        return SoftmaxRegressionProblem.Parameters(outcome.Model);
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
