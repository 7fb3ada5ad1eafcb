using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

/// <summary>
/// Reads Golden/optimizers.json, written by Golden/make_optimizer_golden.py with PyTorch (see its
/// header), and replays its optimizer cases on DeepUnlearn's optimizers.
/// </summary>
internal static class OptimizerGolden
{
    public const double Tolerance = 1e-12;

    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "optimizers.json"))));

    public static JsonElement Root => s_document.Value.RootElement;

    /// <summary>Names of the optimizer cases of one kind ("sgd", "adam", "adamw"), for [MemberData].</summary>
    public static TheoryData<string> OptimizerCases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Root.GetProperty("optimizers").EnumerateArray())
        {
            if (c.GetProperty("optimizer").GetString() == kind)
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }
        return data;
    }

    public static JsonElement Case(string section, string name) =>
        Root.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Values(JsonElement tensor) =>
        tensor.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static long[] Shape(JsonElement tensor) =>
        tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    /// <summary>A float64 tensor from {"shape", "values"}.</summary>
    public static Tensor ToTensor(JsonElement tensor) => Tensor.From<double>(Values(tensor), Shape(tensor));

    public static double Option(JsonElement defaults, string name, double fallback) =>
        defaults.TryGetProperty(name, out JsonElement v)
            ? v.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => v.GetDouble(),
            }
            : fallback;

    /// <summary>The case's parameter groups (with their option overrides) over fresh copies of its parameters.</summary>
    public static (Tensor[] Parameters, ParameterGroup[] Groups) Setup(JsonElement c)
    {
        Tensor[] parameters = c.GetProperty("params").EnumerateArray()
            .Select(p => TensorScope.Detach(ToTensor(p).RequiresGradInPlace()))
            .ToArray();
        ParameterGroup[] groups = c.GetProperty("groups").EnumerateArray()
            .Select(g => new ParameterGroup(
                g.GetProperty("params").EnumerateArray().Select(i => parameters[i.GetInt32()]),
                g.GetProperty("options").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble())))
            .ToArray();
        return (parameters, groups);
    }

    /// <summary>
    /// Builds the optimizer with <paramref name="create"/>, applies the case's three gradient steps and
    /// checks the parameters after steps 1 and 3, and the exported state after step 3, against PyTorch.
    /// </summary>
    public static void Replay(string name, Func<ParameterGroup[], JsonElement, Optimizer> create)
    {
        JsonElement c = Case("optimizers", name);
        var (parameters, groups) = Setup(c);
        try
        {
            using Optimizer optimizer = create(groups, c.GetProperty("defaults"));
            JsonElement[] steps = c.GetProperty("grads").EnumerateArray().ToArray();
            for (int k = 0; k < steps.Length; k++)
            {
                using (var scope = TensorScope.Begin())
                {
                    JsonElement[] grads = steps[k].EnumerateArray().ToArray();
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Grad = ToTensor(grads[i]);
                    }
                    optimizer.Step();
                }
                if (k == 0)
                {
                    AssertParameters(c.GetProperty("after_step1"), parameters, $"{name} after step 1");
                }
            }
            AssertParameters(c.GetProperty("after_step3"), parameters, $"{name} after step 3");

            using OptimizerState state = optimizer.StateDict();
            var expected = c.GetProperty("state_after_step3").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), state.Tensors.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, tensor) in state.Tensors)
            {
                Assert.Equal(Shape(expected[key]), tensor.ShapeArray());
                AssertClose(Values(expected[key]), tensor.To(DType.Float64).ToArray<double>(), $"{name} {key}");
            }
        }
        finally
        {
            foreach (Tensor p in parameters)
            {
                p.Dispose();
            }
        }
    }

    public static void AssertParameters(JsonElement expected, Tensor[] parameters, string what)
    {
        JsonElement[] values = expected.EnumerateArray().ToArray();
        Assert.Equal(values.Length, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            AssertClose(Values(values[i]), parameters[i].ToArray<double>(), $"{what}, parameter {i}");
        }
    }

    public static void AssertClose(double[] expected, double[] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            double error = Math.Abs(expected[j] - actual[j]);
            Assert.True(error <= tolerance, $"{what}, element {j}: expected {expected[j]:R}, got {actual[j]:R} (|error| {error:E2} > {tolerance:E0})");
        }
    }
}
