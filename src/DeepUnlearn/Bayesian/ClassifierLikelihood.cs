using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>Log-likelihoods and predictive probabilities of an <see cref="IBayesianClassifier"/>.</summary>
internal static class ClassifierLikelihood
{
    /// <summary>Rows per chunk when a whole data set is scored without gradients.</summary>
    public const int ChunkRows = 2048;

    /// <summary>log p(D | θ) = Σₙ log p(yₙ | xₙ, θ) for every row of <paramref name="theta"/> [S, P], as [S] (differentiable).</summary>
    public static Tensor LogLikelihood(IBayesianClassifier model, Tensor theta, Tensor features, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        if (features.size(0) == 0)
        {
            return torch.zeros([theta.size(0)], theta.dtype, theta.device).MoveToOuterDisposeScope();
        }
        Tensor logProbs = model.Logits(theta, features).log_softmax(2);
        Tensor index = labels.view(1, -1, 1).expand(theta.size(0), labels.size(0), 1);
        return logProbs.gather(2, index).squeeze(2).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="LogLikelihood"/> without gradients, in chunks of rows so large data sets fit in memory.</summary>
    public static Tensor LogLikelihoodChunked(IBayesianClassifier model, Tensor theta, Tensor features, Tensor labels)
    {
        using var noGrad = torch.no_grad();
        using var outer = torch.NewDisposeScope();
        Tensor total = torch.zeros([theta.size(0)], theta.dtype, theta.device);
        long n = features.size(0);
        for (long start = 0; start < n; start += ChunkRows)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(ChunkRows, n - start);
            total.add_(LogLikelihood(model, theta, features.narrow(0, start, length), labels.narrow(0, start, length)));
        }
        return total.MoveToOuterDisposeScope();
    }
}
