using System;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class LbfgsHessianTests
{
    private const int P = 9;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Multiply_QuadraticPairs_EqualsDenseBfgsRecursion(int k)
    {
        long live = LiveTensors.Settled();
        var random = new Random(7 + k);
        double[,] a = RandomSpd(random);
        double[][] s = new double[k][];
        double[][] y = new double[k][];
        for (int i = 0; i < k; i++)
        {
            s[i] = RandomVector(random);
            y[i] = Apply(a, s[i]);
        }
        // σ as LbfgsHessian picks it: s_kᵀy_k / s_kᵀs_k of the newest pair.
        double sigma = Dot(s[k - 1], y[k - 1]) / Dot(s[k - 1], s[k - 1]);
        double[,] dense = DenseBfgs(sigma, s, y);
        double[] v = RandomVector(random);

        using (var scope = torch.NewDisposeScope())
        {
            var sTensors = new Tensor[k];
            var yTensors = new Tensor[k];
            for (int i = 0; i < k; i++)
            {
                sTensors[i] = torch.tensor(s[i]);
                yTensors[i] = torch.tensor(y[i]);
            }
            using LbfgsHessian hessian = LbfgsHessian.FromPairs(sTensors, yTensors);
            Assert.Equal(sigma, hessian.Sigma, 12);
            double[] product = hessian.Multiply(torch.tensor(v)).data<double>().ToArray();
            double[] expected = Apply(dense, v);
            for (int i = 0; i < P; i++)
            {
                Assert.Equal(expected[i], product[i], 9);
            }
            double[] denseFromCompact = hessian.ToDense().data<double>().ToArray();
            for (int i = 0; i < P; i++)
            {
                for (int j = 0; j < P; j++)
                {
                    Assert.Equal(dense[i, j], denseFromCompact[(i * P) + j], 9);
                }
            }
            // BFGS satisfies the secant equation for the newest pair: B s_k = y_k.
            double[] secant = hessian.Multiply(sTensors[k - 1]).data<double>().ToArray();
            for (int i = 0; i < P; i++)
            {
                Assert.Equal(y[k - 1][i], secant[i], 9);
            }
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void FromPairs_NegativeCurvature_Throws()
    {
        using var scope = torch.NewDisposeScope();
        Tensor s = torch.tensor(new[] { 1.0, 0.0 });
        Tensor y = torch.tensor(new[] { -1.0, 0.0 });
        Assert.Throws<ArgumentException>(() => LbfgsHessian.FromPairs([s], [y]));
    }

    private static double[,] DenseBfgs(double sigma, double[][] s, double[][] y)
    {
        var b = new double[P, P];
        for (int i = 0; i < P; i++)
        {
            b[i, i] = sigma;
        }
        for (int k = 0; k < s.Length; k++)
        {
            double[] bs = Apply(b, s[k]);
            double sbs = Dot(s[k], bs);
            double ys = Dot(y[k], s[k]);
            var next = new double[P, P];
            for (int i = 0; i < P; i++)
            {
                for (int j = 0; j < P; j++)
                {
                    next[i, j] = b[i, j] - (bs[i] * bs[j] / sbs) + (y[k][i] * y[k][j] / ys);
                }
            }
            b = next;
        }
        return b;
    }

    private static double[,] RandomSpd(Random random)
    {
        var m = new double[P, P];
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++)
            {
                m[i, j] = random.NextDouble() - 0.5;
            }
        }
        var a = new double[P, P];
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++)
            {
                double sum = i == j ? 0.5 : 0;
                for (int l = 0; l < P; l++)
                {
                    sum += m[l, i] * m[l, j];
                }
                a[i, j] = sum;
            }
        }
        return a;
    }

    private static double[] RandomVector(Random random)
    {
        var v = new double[P];
        for (int i = 0; i < P; i++)
        {
            v[i] = random.NextDouble() - 0.5;
        }
        return v;
    }

    private static double[] Apply(double[,] m, double[] v)
    {
        var r = new double[P];
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++)
            {
                r[i] += m[i, j] * v[j];
            }
        }
        return r;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
