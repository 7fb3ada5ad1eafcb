using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class UnfoldTests
{
    [Theory]
    [InlineData(2, 1, 0, 1)]
    [InlineData(3, 1, 1, 2)]
    [InlineData(2, 2, 1, 1)]
    public void Unfold_Options_MatchPatchLoopsAndFiniteDifferences(int k, int dilation, int padding, int stride)
    {
        using var scope = TensorScope.Begin();
        const int n = 2, c = 2, h = 4, w = 5;
        Tensor x = TestData.Normal(90, [n, c, h, w]);
        double[] v = x.ToArray<double>();
        int oh = (h + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        int ow = (w + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        int rows = c * k * k, blocks = oh * ow;
        var expected = new double[n * rows * blocks];
        for (int b = 0; b < n; b++)
        {
            for (int row = 0; row < rows; row++)
            {
                // Row index = (channel, kernel row, kernel column), as torch.nn.functional.unfold.
                int ch = row / (k * k), ki = row / k % k, kj = row % k;
                for (int l = 0; l < blocks; l++)
                {
                    int r = l / ow * stride - padding + ki * dilation;
                    int q = l % ow * stride - padding + kj * dilation;
                    bool inside = r >= 0 && r < h && q >= 0 && q < w;
                    expected[(b * rows + row) * blocks + l] = inside ? v[((b * c + ch) * h + r) * w + q] : 0;
                }
            }
        }
        TensorAssert.Close(expected, [n, rows, blocks], F.Unfold(x, k, dilation, padding, stride), 0, 0, "unfold");
        GradCheck.Check(t => F.Unfold(t, k, dilation, padding, stride), x);
    }

    [Fact]
    public void Unfold_ThenMatMul_EqualsConv2d()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(91, [2, 3, 5, 5]);
        Tensor weight = TestData.Normal(92, [4, 3, 3, 3]);
        Tensor conv = F.Conv2d(x, weight, padding: 1);
        Tensor patches = F.Unfold(x, 3, padding: 1);
        Tensor viaUnfold = weight.Reshape(4, 27).MatMul(patches).Reshape(2, 4, 5, 5);
        TensorAssert.Close(conv.ToArray<double>(), conv.ShapeArray(), viaUnfold, 1e-13, 1e-13);
    }
}
