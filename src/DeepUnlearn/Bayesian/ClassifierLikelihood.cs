using System;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Bayesian;

/// <summary>Log-likelihoods and predictive probabilities of an <see cref="IBayesianClassifier"/>.</summary>
internal static class ClassifierLikelihood
{
    /// <summary>Rows per chunk when a whole data set is scored without gradients.</summary>
    public const int ChunkRows = 2048;

    /// <summary>log p(D | θ) = Σₙ log p(yₙ | xₙ, θ) for every row of <paramref name="theta"/> [S, P], as [S] (differentiable).</summary>
    public static Tensor LogLikelihood(IBayesianClassifier model, Tensor theta, Tensor features, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        if (features.Size(0) == 0)
        {
            return scope.Keep(Tensor.Zeros([theta.Size(0)], theta.DType, theta.Device));
        }
        Tensor logProbs = Functional.LogSoftmax(model.Logits(theta, features), 2);
        Tensor index = labels.View(1, -1, 1).Expand(theta.Size(0), labels.Size(0), 1);
        return scope.Keep(logProbs.Gather(2, index).Squeeze(2).Sum(1));
    }

    /// <summary><see cref="LogLikelihood"/> without gradients, in chunks of rows so large data sets fit in memory.</summary>
    public static Tensor LogLikelihoodChunked(IBayesianClassifier model, Tensor theta, Tensor features, Tensor labels)
    {
        using var noGrad = LibTorch.NoGrad();
        using var outer = TensorScope.Begin();
        Tensor total = Tensor.Zeros([theta.Size(0)], theta.DType, theta.Device);
        long n = features.Size(0);
        for (long start = 0; start < n; start += ChunkRows)
        {
            using var scope = TensorScope.Begin();
            long length = Math.Min(ChunkRows, n - start);
            total.AddInPlace(LogLikelihood(model, theta, features.Narrow(0, start, length), labels.Narrow(0, start, length)));
        }
        return outer.Keep(total);
    }
}
