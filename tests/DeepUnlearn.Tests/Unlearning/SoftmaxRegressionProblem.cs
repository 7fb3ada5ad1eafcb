using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Tests.Unlearning.Methods;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// A problem methods can be checked by hand on: softmax regression on the squares data (every parameter is the
/// head, no BatchNorm), a class-forgetting request for class 0, and D_f's inputs and θ0 in double precision.
/// </summary>
public sealed class SoftmaxRegressionProblem : IDisposable
{
    public SoftmaxRegressionProblem()
        : this(epochs: 2)
    {
    }

    /// <summary>The problem with the original trained for <paramref name="epochs"/> epochs (internal: xUnit builds fixtures through the single public constructor).</summary>
    internal SoftmaxRegressionProblem(int epochs)
    {
        using var threads = new SingleThread();
        var train = SyntheticData.Squares(480, seed: 1);
        var test = SyntheticData.Squares(160, seed: 2);
        VisionData data = VisionData.FromDatasets("squares", train, test, 0.1, 0);
        var recipe = new TrainingConfig { Epochs = epochs, BatchSize = 32, LearningRate = 0.01, Workers = 0, Seed = 0, Augment = false };
        Original = new SoftmaxRegression(12 * 12, 4, seed: 5);
        using (DataLoader loader = data.TrainLoader(data.Split.Train, training: true, recipe.BatchSize, 0, torch.CPU, workers: 0))
        {
            new Trainer().Fit(Original, loader, null, recipe);
        }
        Original.eval();
        ForgetSets sets = ForgetRequest.ForClasses(0).Resolve(train, data.Split);
        Context = new UnlearningContext(Original, data, sets.Forget, sets.Retain, data.Split.Validation, sets.ForgottenClasses, recipe, torch.CPU, seed: 0) { Workers = 0 };
        using DataLoader forget = Context.ForgetLoader(100_000, shuffle: false);
        foreach (Batch all in forget.Epoch(0, CancellationToken.None))
        {
            using var scope = torch.NewDisposeScope();
            Inputs = all.Images.flatten(1).to(ScalarType.Float64).data<double>().ToArray();
            Count = (int)all.Images.size(0);
        }
        Theta0 = Parameters(Original);
    }

    internal SoftmaxRegression Original { get; }

    public UnlearningContext Context { get; }

    /// <summary>D_f's inputs, row-major [Count, Dim].</summary>
    public double[] Inputs { get; } = [];

    public int Count { get; }

    public int Dim => 12 * 12;

    public int Classes => 4;

    /// <summary>θ0 as [W row-major (K×D), b (K)].</summary>
    public double[] Theta0 { get; }

    /// <summary>θ of a softmax-regression model as [W row-major, b], in double.</summary>
    public static double[] Parameters(ClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = torch.NewDisposeScope();
        double[] w = model.Head.weight.to(ScalarType.Float64).data<double>().ToArray();
        double[] b = model.Head.bias!.to(ScalarType.Float64).data<double>().ToArray();
        return [.. w, .. b];
    }

    /// <summary>
    /// The gradient of L_KL(θ) = (1/N) Σ_i KL(u ‖ softmax(W x_i + b)) over all of D_f, by hand in double:
    /// ∂/∂z_i = (softmax(z_i) − u)/N, so ∂/∂W = Σ_i (p_i − u) x_iᵀ / N and ∂/∂b = Σ_i (p_i − u) / N.
    /// </summary>
    public double[] KlGradient(double[] theta)
    {
        int k = Classes;
        int d = Dim;
        var grad = new double[theta.Length];
        var z = new double[k];
        for (int i = 0; i < Count; i++)
        {
            for (int c = 0; c < k; c++)
            {
                z[c] = theta[(k * d) + c];
                for (int j = 0; j < d; j++)
                {
                    z[c] += theta[(c * d) + j] * Inputs[(i * d) + j];
                }
            }
            double max = z.Max();
            double norm = z.Sum(v => Math.Exp(v - max));
            for (int c = 0; c < k; c++)
            {
                double g = ((Math.Exp(z[c] - max) / norm) - (1.0 / k)) / Count;
                grad[(k * d) + c] += g;
                for (int j = 0; j < d; j++)
                {
                    grad[(c * d) + j] += g * Inputs[(i * d) + j];
                }
            }
        }
        return grad;
    }

    /// <summary>The inputs [ids.Length, Dim] (row-major, in the given order) and labels of training samples <paramref name="ids"/>.</summary>
    public (double[] Inputs, int[] Labels) Samples(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var inputs = new List<double>();
        var labels = new List<int>();
        using DataLoader loader = Context.Loader(ids, 100_000, shuffle: false, augment: false);
        foreach (Batch all in loader.Epoch(0, CancellationToken.None))
        {
            using var scope = torch.NewDisposeScope();
            inputs.AddRange(all.Images.flatten(1).to(ScalarType.Float64).data<double>().ToArray());
            labels.AddRange(all.Labels.data<long>().ToArray().Select(l => (int)l));
        }
        return ([.. inputs], [.. labels]);
    }

    public void Dispose() => Original.Dispose();
}
