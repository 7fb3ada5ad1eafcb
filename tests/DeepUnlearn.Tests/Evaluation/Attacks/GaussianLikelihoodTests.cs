using System;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation.Attacks;

/// <summary>The Gaussian fit and likelihood score of offline LiRA, and the logit-scaled confidence, against closed forms.</summary>
public class GaussianLikelihoodTests
{
    [Fact]
    public void LogPdf_StandardNormalAtOne_IsTheLogOfTheTableDensity()
    {
        // φ(1) = e^(-1/2)/√(2π) = 0.24197072451914337 (standard normal density tables).
        Assert.Equal(Math.Log(0.24197072451914337), GaussianLikelihood.LogPdf(1, 0, 1), 14);
        // Shifted and scaled: density of N(3, 2²) at 5 is φ(1)/2.
        Assert.Equal(Math.Log(0.24197072451914337 / 2), GaussianLikelihood.LogPdf(5, 3, 2), 14);
    }

    [Fact]
    public void Fit_PerExampleMedianAndPopulationStd_OrOneStdForAll()
    {
        // Three reference models, two examples.
        double[][] references = [[1, 2], [3, 6], [5, 10]];
        var (mean, std) = GaussianLikelihood.Fit(references, fixedVariance: false);
        Assert.Equal([3.0, 6.0], mean);
        Assert.Equal(Math.Sqrt(8.0 / 3), std[0], 14);
        Assert.Equal(Math.Sqrt(32.0 / 3), std[1], 14);

        // np.std of all six values {1, 3, 5, 2, 6, 10}: mean 4.5, squared deviations sum to 53.5.
        var (_, fixedStd) = GaussianLikelihood.Fit(references, fixedVariance: true);
        Assert.Equal(Math.Sqrt(53.5 / 6), fixedStd[0], 14);
        Assert.Equal(fixedStd[0], fixedStd[1]);

        // An even count takes the mean of the two middle values, as np.median.
        var (evenMean, _) = GaussianLikelihood.Fit([[1], [4], [2], [10]], fixedVariance: false);
        Assert.Equal(3.0, evenMean[0]);
    }

    [Fact]
    public void Scores_LikelihoodRatioToTheMode_IsHalfTheSquaredZ()
    {
        // −log N(x) + log N(μ) = z²/2: the log-likelihood ratio of the mode against x, whatever σ.
        double[] mean = [2, -7];
        double[] std = [0.5, 3];
        double[] atMode = GaussianLikelihood.Scores([2, -7], mean, std);
        double[] away = GaussianLikelihood.Scores([3, -1], mean, std);
        Assert.Equal(0.5 * 2 * 2, away[0] - atMode[0], 12);
        Assert.Equal(0.5 * 2 * 2, away[1] - atMode[1], 12);
        // At the mode the score is log(σ√(2π)).
        Assert.Equal(Math.Log(0.5 * Math.Sqrt(2 * Math.PI)), atMode[0], 12);
        // Two-sided: as far below as above scores the same.
        Assert.Equal(away[0], GaussianLikelihood.Scores([1], [2], [0.5])[0], 12);
    }

    [Fact]
    public void LogitScaledConfidence_IsTheLogOddsOfTheTrueClass_EvenWhenFloat32RoundsItToOne()
    {
        Assert.Equal(Math.Log(0.7 / 0.3), LogitScaledConfidence.Of([0.7f, 0.2f, 0.1f], 0), 6);
        Assert.Equal(Math.Log(0.1 / 0.9), LogitScaledConfidence.Of([0.7f, 0.2f, 0.1f], 2), 6);
        // p_y = 1 − 1e-9 is 1.0f, so 1 − p_y would be 0 (φ = ∞); the wrong-class sum keeps the 1e-9.
        float[] confident = [1 - 1e-9f, 1e-9f];
        Assert.Equal(1.0f, confident[0]);
        Assert.Equal(-Math.Log(1e-9f), LogitScaledConfidence.Of(confident, 0), 6);
        // From predictions, log p_y comes from the loss (−log p_y): a never-seen class with p_y = e^-200 (0 in float32)
        // keeps its φ ≈ −200 instead of the guard's log 1e-45 ≈ −103.6 for every such sample.
        var predictions = new Predictions([5, 9, 11], [0, 2, 1], [0.7f, 0.2f, 0.1f, 0.7f, 0.2f, 0.1f, 0.5f, 0f, 0.5f], [-Math.Log(0.7), -Math.Log(0.1), 200], 3);
        double[] phi = LogitScaledConfidence.Of(predictions);
        Assert.Equal(Math.Log(0.7 / 0.3), phi[0], 6);
        Assert.Equal(Math.Log(0.1 / 0.9), phi[1], 6);
        Assert.Equal(-200, phi[2], 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => LogitScaledConfidence.Of([0.5f, 0.5f], 2));
    }
}
