using System;
using System.Globalization;
using System.Text;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Support;

/// <summary>
/// Finite-difference gradient checking, as torch.autograd.gradcheck: the full Jacobian of a float64
/// function computed by autograd (one <c>Autograd.Grad</c> per output element) is compared with central differences (f(x + ε) − f(x − ε)) / 2ε, element by
/// element, with |autograd − numeric| ≤ atol + rtol · |numeric|. A failure names the input, its
/// element (multi-index) and the output element.
/// </summary>
internal static class GradCheck
{
    /// <summary>The default central-difference step.</summary>
    public const double DefaultEps = 1e-6;

    /// <summary>The default absolute and relative tolerance.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>Checks a function of one tensor.</summary>
    public static void Check(Func<Tensor, Tensor> function, Tensor input, string? label = null, double eps = DefaultEps, double atol = DefaultTolerance, double rtol = DefaultTolerance) =>
        Check(xs => function(xs[0]), [input], label, eps, atol, rtol);

    /// <summary>
    /// Checks <paramref name="function"/> at <paramref name="inputs"/> (float64; their values are copied,
    /// the tensors are not modified). The function is called on fresh leaf tensors that require
    /// gradients and must return a float64 tensor of any shape; anything else it needs (targets,
    /// running statistics, seeds) it captures. It must be deterministic: it is called 2·n + 1 times.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> function, Tensor[] inputs, string? label = null, double eps = DefaultEps, double atol = DefaultTolerance, double rtol = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        // Thousands of tiny operations: intra-op threads only add synchronisation (3x slower on a
        // loaded machine). Tests run serially, so the process-wide setting is restored safely.
        int threads = LibTorch.NumThreads;
        LibTorch.SetNumThreads(1);
        try
        {
            CheckSingleThreaded(function, inputs, label, eps, atol, rtol);
        }
        finally
        {
            LibTorch.SetNumThreads(threads);
        }
    }

    private static void CheckSingleThreaded(Func<Tensor[], Tensor> function, Tensor[] inputs, string? label, double eps, double atol, double rtol)
    {
        using var scope = TensorScope.Begin();
        var values = new double[inputs.Length][];
        var shapes = new long[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.True(inputs[i].DType == DType.Float64, $"gradient check input {i} must be float64, not {inputs[i].DType}");
            values[i] = inputs[i].Detach().ToArray<double>();
            shapes[i] = inputs[i].ShapeArray();
        }

        double[][,] analytic = AnalyticJacobian(function, values, shapes, out long[] outputShape);
        int outputs = analytic.Length == 0 ? 0 : analytic[0].GetLength(0);
        for (int i = 0; i < values.Length; i++)
        {
            for (int j = 0; j < values[i].Length; j++)
            {
                double original = values[i][j];
                values[i][j] = original + eps;
                double[] plus = Evaluate(function, values, shapes);
                values[i][j] = original - eps;
                double[] minus = Evaluate(function, values, shapes);
                values[i][j] = original;
                for (int k = 0; k < outputs; k++)
                {
                    double numeric = (plus[k] - minus[k]) / (2 * eps);
                    double auto = analytic[i][k, j];
                    double tolerance = atol + rtol * Math.Abs(numeric);
                    if (!(Math.Abs(auto - numeric) <= tolerance))
                    {
                        Assert.Fail(string.Create(
                            CultureInfo.InvariantCulture,
                            $"gradient check{(label is null ? "" : $" '{label}'")} failed: d output{Index(k, outputShape)} / d input {i}{Index(j, shapes[i])}: " +
                            $"autograd {auto:R}, finite differences {numeric:R}, |difference| {Math.Abs(auto - numeric):E3} > tolerance {tolerance:E3}"));
                    }
                }
            }
        }
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in a row-major tensor of <paramref name="shape"/>.</summary>
    public static string Index(long flat, long[] shape)
    {
        var parts = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            parts[d] = flat % shape[d];
            flat /= shape[d];
        }
        var text = new StringBuilder("[");
        text.AppendJoin(", ", parts);
        return text.Append(']').ToString();
    }

    private static double[][,] AnalyticJacobian(Func<Tensor[], Tensor> function, double[][] values, long[][] shapes, out long[] outputShape)
    {
        using var scope = TensorScope.Begin();
        var leaves = new Tensor[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            leaves[i] = Tensor.From<double>(values[i], shapes[i]).RequiresGradInPlace();
        }
        Tensor output = function(leaves);
        Assert.True(output.DType == DType.Float64, $"the checked function must return float64, not {output.DType}");
        outputShape = output.ShapeArray();
        int count = checked((int)output.NumEl);
        var jacobian = new double[values.Length][,];
        for (int i = 0; i < values.Length; i++)
        {
            jacobian[i] = new double[count, values[i].Length];
        }
        if (!output.RequiresGrad)
        {
            return jacobian;
        }
        var seed = new double[count];
        for (int k = 0; k < count; k++)
        {
            using var step = TensorScope.Begin();
            Array.Clear(seed);
            seed[k] = 1;
            Tensor gradOutput = Tensor.From<double>(seed, outputShape);
            Tensor?[] grads = Torch.Autograd.Grad([output], leaves, [gradOutput], retainGraph: true, allowUnused: true);
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is null)
                {
                    continue;
                }
                double[] row = grads[i]!.ToArray<double>();
                Assert.True(row.Length == values[i].Length, $"gradient of input {i} has {row.Length} elements, the input {values[i].Length}");
                for (int j = 0; j < row.Length; j++)
                {
                    jacobian[i][k, j] = row[j];
                }
            }
        }
        return jacobian;
    }

    private static double[] Evaluate(Func<Tensor[], Tensor> function, double[][] values, long[][] shapes)
    {
        using var scope = TensorScope.Begin();
        using GradModeScope noGrad = LibTorch.NoGrad();
        var inputs = new Tensor[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            inputs[i] = Tensor.From<double>(values[i], shapes[i]);
        }
        return function(inputs).ToArray<double>();
    }
}
