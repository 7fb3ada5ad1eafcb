using System;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// Reverse-KL unlearning (VBU's reverse-KL trick) against exact targets on the conjugate linear-Gaussian model.
/// It minimises KL[p̃(θ | D_r; λ) ‖ q] with p̃ ∝ q(θ | D) / p̃(D_e | θ; λ), whose Gaussian minimiser matches p̃'s
/// mean and covariance (their diagonal for the diagonal family). With q(θ | D) = p(θ | D) and λ = 0, p̃ is
/// exactly p(θ | D_r) (closed form). With λ &gt; 0, p̃ is p(θ | D_r) cut to the ellipsoid where q(θ | D) &gt; λ max q,
/// joined to q(θ | D) outside it; its moments come here from quadrature in polar coordinates, an integration
/// independent of the library's importance sampling.
/// </summary>
public class ReverseKlUnlearningTests
{
    // Few erased rows, so the importance weights 1/p(D_e | θ) have finite variance (Σ_e⁻¹ ≺ Σ_r⁻¹) at λ = 0.
    private static readonly LinearGaussianProblem s_mild = LinearGaussianProblem.Create(p: 3, remaining: 30, erased: 3, noiseStd: 0.5, priorStd: 3, xShift: 1.0, yShift: 1.0, offset: 1.0, seed: 4);

    // Two parameters for the quadrature oracle. High-leverage erased rows make p(θ | D_r) much wider than q(θ | D), so
    // the region cuts it; a small noise makes p(D_e | θ) of order 1, so q(θ | D) outside the region and the retrained
    // posterior inside it both carry weight (13% inside at λ = 0.1, 68% at λ = 0.01).
    private static readonly LinearGaussianProblem s_plane = LinearGaussianProblem.Create(p: 2, remaining: 12, erased: 6, noiseStd: 0.15, priorStd: 3, xShift: 3, yShift: 0, offset: 0.5, seed: 7);

    public ReverseKlUnlearningTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(PosteriorKind.Full)]
    [InlineData(PosteriorKind.Diagonal)]
    public void MomentMatching_ExactFullPosteriorLambdaZero_ReachesRetrainedPosterior(PosteriorKind kind)
    {
        DenseGaussian full = s_mild.Posterior(s_mild.All);
        DenseGaussian retrained = s_mild.Posterior(s_mild.Remaining);
        // The reverse KL's diagonal optimum keeps the marginal variances Σ_ii (not the EUBO's 1/(Σ⁻¹)_ii).
        DenseGaussian expected = kind == PosteriorKind.Full ? retrained : retrained.DiagonalPart();
        Assert.True(full.Kl(retrained) > 0.2, $"the erased rows should move the posterior: KL {full.Kl(retrained)}");

        using Gaussian q = full.ToLibrary(kind == PosteriorKind.Full ? PosteriorKind.Full : PosteriorKind.Diagonal);
        using Gaussian exactFull = full.ToLibrary(PosteriorKind.Full);
        using var thread = new SingleThread();
        using LinearRegressionLikelihood erased = s_mild.Likelihood(s_mild.Erased);
        using var generator = new Generator(21);
        // The weights need the exact q(θ | D), so sample the full-covariance one and match the requested family.
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(erased, exactFull, new ReverseKlOptions { Samples = 200_000, MomentMatching = true }, generator);
        using Gaussian fitted = outcome.Posterior;
        using Gaussian projected = fitted.Convert(kind);
        DenseGaussian result = DenseGaussian.FromLibrary(projected);
        double kl = expected.Kl(result);
        Assert.True(kl < 1e-3, $"{kind}: KL[target ‖ reverse-KL result] = {kl}; result {result}, target {expected}, ESS {outcome.EffectiveSampleSize}");
        EuboUnlearningTests.AssertMomentsClose(expected, result, meanTolerance: 0.03, covarianceTolerance: 0.05);
    }

    [Theory]
    [InlineData(PosteriorKind.Full, 0.1)]
    [InlineData(PosteriorKind.Full, 0.01)]
    [InlineData(PosteriorKind.Diagonal, 0.1)]
    public void MomentMatching_LambdaPositive_MatchesQuadratureOfAdjustedTarget(PosteriorKind kind, double lambda)
    {
        // q(θ | D): the exact posterior, or its diagonal part for the diagonal family; both the weights' target
        // p̃ ∝ q(θ | D) / p̃(D_e | θ; λ) and the region are those of this q.
        DenseGaussian exact = s_plane.Posterior(s_plane.All);
        DenseGaussian full = kind == PosteriorKind.Full ? exact : exact.DiagonalPart();
        DenseGaussian retrained = s_plane.Posterior(s_plane.Remaining);
        (DenseGaussian target, double insideMass, double outsideMass) = AdjustedTarget(s_plane, full, lambda);
        // The oracle exercises both pieces of p̃, and λ changes the answer, so ignoring the region would fail.
        double insideShare = insideMass / (insideMass + outsideMass);
        Assert.True(insideShare is > 0.05 and < 0.95, $"inside share {insideShare}, KL to p(θ|D_r) {target.Kl(retrained)}");
        Assert.True(target.Kl(retrained) > 0.1 && target.Kl(full) > 0.1, $"λ = {lambda}: the target should be far from p(θ|D_r) (KL {target.Kl(retrained)}) and from q(θ|D) (KL {target.Kl(full)})");
        DenseGaussian expected = kind == PosteriorKind.Full ? target : target.DiagonalPart();

        using Gaussian q = full.ToLibrary(kind);
        using var thread = new SingleThread();
        using LinearRegressionLikelihood erased = s_plane.Likelihood(s_plane.Erased);
        using var generator = new Generator(22);
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(erased, q, new ReverseKlOptions { Lambda = lambda, Samples = 200_000, MomentMatching = true }, generator);
        using Gaussian fitted = outcome.Posterior;
        Assert.Equal(kind, fitted.Kind);
        DenseGaussian result = DenseGaussian.FromLibrary(fitted);
        double kl = expected.Kl(result);
        Assert.True(kl < 1e-3, $"{kind}, λ = {lambda}: KL[p̃ ‖ result] = {kl}; result {result}, quadrature {expected} (inside share {insideShare:F3})");
        EuboUnlearningTests.AssertMomentsClose(expected, result, meanTolerance: 0.03, covarianceTolerance: 0.05);
        Assert.Equal(1 - lambda, outcome.CountedFraction, 2);
    }

    [Fact]
    public void Adam_LambdaPositive_MatchesQuadratureOfAdjustedTarget()
    {
        const double Lambda = 0.1;
        DenseGaussian full = s_plane.Posterior(s_plane.All);
        (DenseGaussian target, _, _) = AdjustedTarget(s_plane, full, Lambda);
        using Gaussian q = full.ToLibrary(PosteriorKind.Full);
        using var thread = new SingleThread();
        using LinearRegressionLikelihood erased = s_plane.Likelihood(s_plane.Erased);
        using var generator = new Generator(23);
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(erased, q, new ReverseKlOptions { Lambda = Lambda, Samples = 1024, Steps = 3000, LearningRate = 0.01 }, generator);
        using Gaussian fitted = outcome.Posterior;
        DenseGaussian result = DenseGaussian.FromLibrary(fitted);
        double kl = target.Kl(result);
        Assert.True(kl < 1e-3, $"Adam: KL[p̃ ‖ result] = {kl}; result {result}, quadrature {target}");
    }

    /// <summary>
    /// The mean and covariance of p̃(θ) ∝ q(θ) / p̃(D_e | θ; λ) for the two-parameter problem, and its unnormalised
    /// masses inside and outside the region, by quadrature over z = L⁻¹(θ − μ) (q = N(μ, L Lᵀ), so q(θ) dθ is the
    /// standard normal in z and the region is the disc ‖z‖ &lt; r = √(−2 log λ)): Simpson's rule in the radius on
    /// [0, r] and [r, r + 12], the trapezoidal rule (exact for periodic integrands to rounding here) in the angle.
    /// </summary>
    internal static (DenseGaussian Moments, double InsideMass, double OutsideMass) AdjustedTarget(LinearGaussianProblem problem, DenseGaussian q, double lambda)
    {
        if (problem.P != 2)
        {
            throw new ArgumentException("the quadrature is two-dimensional");
        }
        double[,] l = Dense.Cholesky(q.Covariance);
        double radius = Math.Sqrt(-2 * Math.Log(lambda));
        var m0 = new double[2];
        var m1 = new double[2, 2];
        var m2 = new double[2, 2, 2];
        int[] erased = problem.Erased;
        void Integrate(double from, double to, int piece)
        {
            const int Radial = 600;
            const int Angular = 256;
            double h = (to - from) / Radial;
            Span<double> theta = stackalloc double[2];
            for (int i = 0; i <= Radial; i++)
            {
                double rho = from + (i * h);
                double simpson = (i == 0 || i == Radial ? 1 : i % 2 == 1 ? 4 : 2) * h / 3;
                for (int k = 0; k < Angular; k++)
                {
                    double phi = 2 * Math.PI * k / Angular;
                    double z0 = rho * Math.Cos(phi);
                    double z1 = rho * Math.Sin(phi);
                    theta[0] = q.Mean[0] + (l[0, 0] * z0);
                    theta[1] = q.Mean[1] + (l[1, 0] * z0) + (l[1, 1] * z1);
                    // Standard normal density in z, divided by the erased data's likelihood inside the region.
                    double logDensity = (-0.5 * rho * rho) - Math.Log(2 * Math.PI);
                    if (piece == 0)
                    {
                        logDensity -= problem.LogLikelihood(erased, theta);
                    }
                    double w = Math.Exp(logDensity) * rho * simpson * (2 * Math.PI / Angular);
                    m0[piece] += w;
                    m1[piece, 0] += w * z0;
                    m1[piece, 1] += w * z1;
                    m2[piece, 0, 0] += w * z0 * z0;
                    m2[piece, 0, 1] += w * z0 * z1;
                    m2[piece, 1, 1] += w * z1 * z1;
                }
            }
        }
        Integrate(0, radius, 0);
        Integrate(radius, radius + 12, 1);
        double mass = m0[0] + m0[1];
        double[] ez = [(m1[0, 0] + m1[1, 0]) / mass, (m1[0, 1] + m1[1, 1]) / mass];
        double c00 = ((m2[0, 0, 0] + m2[1, 0, 0]) / mass) - (ez[0] * ez[0]);
        double c01 = ((m2[0, 0, 1] + m2[1, 0, 1]) / mass) - (ez[0] * ez[1]);
        double c11 = ((m2[0, 1, 1] + m2[1, 1, 1]) / mass) - (ez[1] * ez[1]);
        // Back to θ = μ + L z: mean μ + L E[z], covariance L Cov(z) Lᵀ.
        double[,] cz = { { c00, c01 }, { c01, c11 } };
        var mean = new double[2];
        var cov = new double[2, 2];
        for (int a = 0; a < 2; a++)
        {
            mean[a] = q.Mean[a] + (l[a, 0] * ez[0]) + (l[a, 1] * ez[1]);
            for (int b = 0; b < 2; b++)
            {
                double sum = 0;
                for (int i = 0; i < 2; i++)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        sum += l[a, i] * cz[i, j] * l[b, j];
                    }
                }
                cov[a, b] = sum;
            }
        }
        return (new DenseGaussian(mean, cov), m0[0], m0[1]);
    }
}
