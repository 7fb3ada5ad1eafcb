using System;
using DeepUnlearn.Bayesian;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// A Gaussian as plain doubles, with the dense linear algebra the oracles need (Cholesky, SPD inverse, KL):
/// written here independently of the library's tensor code, so a test compares two computations.
/// </summary>
internal sealed record DenseGaussian(double[] Mean, double[,] Covariance)
{
    public int Dimension => Mean.Length;

    /// <summary>The precision Σ⁻¹.</summary>
    public double[,] Precision() => Dense.InverseSpd(Covariance);

    /// <summary>KL[this ‖ other] = ½[tr(Σ₂⁻¹Σ₁) + (μ₂ − μ₁)ᵀΣ₂⁻¹(μ₂ − μ₁) − P + log det Σ₂ − log det Σ₁].</summary>
    public double Kl(DenseGaussian other)
    {
        int p = Dimension;
        double[,] inverse = other.Precision();
        double trace = 0;
        double quadratic = 0;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                trace += inverse[i, j] * Covariance[j, i];
                quadratic += (other.Mean[i] - Mean[i]) * inverse[i, j] * (other.Mean[j] - Mean[j]);
            }
        }
        return 0.5 * (trace + quadratic - p + Dense.LogDetSpd(other.Covariance) - Dense.LogDetSpd(Covariance));
    }

    /// <summary>The same mean with only the diagonal of the covariance.</summary>
    public DenseGaussian DiagonalPart()
    {
        int p = Dimension;
        var c = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            c[i, i] = Covariance[i, i];
        }
        return new DenseGaussian((double[])Mean.Clone(), c);
    }

    /// <summary>The library Gaussian of family <paramref name="kind"/> with these moments (caller disposes).</summary>
    public Gaussian ToLibrary(PosteriorKind kind)
    {
        int p = Dimension;
        var flat = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                flat[(i * p) + j] = Covariance[i, j];
            }
        }
        using var scope = torch.NewDisposeScope();
        return Gaussian.FromMoments(kind, torch.tensor(Mean, [p]), torch.tensor(flat, [p, p]));
    }

    /// <summary>The moments of a library Gaussian.</summary>
    public static DenseGaussian FromLibrary(Gaussian q)
    {
        int p = q.Dimension;
        double[] mean = q.Mean.data<double>().ToArray();
        using Tensor cov = q.Covariance();
        using Tensor flat = cov.flatten();
        double[] values = flat.data<double>().ToArray();
        var c = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                c[i, j] = values[(i * p) + j];
            }
        }
        return new DenseGaussian(mean, c);
    }

    public override string ToString()
    {
        var parts = new string[Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            parts[i] = FormattableString.Invariant($"{Mean[i]:G5}±{Math.Sqrt(Covariance[i, i]):G4}");
        }
        return "N(" + string.Join(", ", parts) + ")";
    }
}
