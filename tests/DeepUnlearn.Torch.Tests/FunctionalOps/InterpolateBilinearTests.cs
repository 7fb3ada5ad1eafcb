using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class InterpolateBilinearTests
{
    [Theory]
    [InlineData(5, 7)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(6, 2)]
    public void InterpolateBilinear_Sizes_MatchHalfPixelReferenceAndFiniteDifferences(int oh, int ow)
    {
        using var scope = TensorScope.Begin();
        const int h = 3, w = 4;
        Tensor x = TestData.Normal(100, [2, 2, h, w]);
        double[] v = x.ToArray<double>();
        var expected = new double[4 * oh * ow];
        for (int nc = 0; nc < 4; nc++)
        {
            for (int i = 0; i < oh; i++)
            {
                (int r0, int r1, double fr) = Source(i, h, oh);
                for (int j = 0; j < ow; j++)
                {
                    (int c0, int c1, double fc) = Source(j, w, ow);
                    double At(int r, int c) => v[(nc * h + r) * w + c];
                    expected[(nc * oh + i) * ow + j] =
                        (1 - fr) * ((1 - fc) * At(r0, c0) + fc * At(r0, c1)) + fr * ((1 - fc) * At(r1, c0) + fc * At(r1, c1));
                }
            }
        }
        TensorAssert.Close(expected, [2, 2, oh, ow], F.InterpolateBilinear(x, oh, ow), 1e-14, 1e-14, "bilinear");
        GradCheck.Check(t => F.InterpolateBilinear(t, oh, ow), x);
    }

    [Fact]
    public void InterpolateBilinear_SameSize_IsIdentity()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(101, [1, 2, 3, 4]);
        TensorAssert.Close(x.ToArray<double>(), [1, 2, 3, 4], F.InterpolateBilinear(x, 3, 4), 0, 0);
    }

    /// <summary>align_corners = false: source = (dst + 0.5)·in/out − 0.5, clamped at 0.</summary>
    private static (int Low, int High, double Fraction) Source(int dst, int input, int output)
    {
        double src = Math.Max((dst + 0.5) * input / output - 0.5, 0);
        int low = Math.Min((int)Math.Floor(src), input - 1);
        int high = Math.Min(low + 1, input - 1);
        return (low, high, src - low);
    }
}
