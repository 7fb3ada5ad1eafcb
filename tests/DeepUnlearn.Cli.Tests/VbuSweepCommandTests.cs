using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public sealed class VbuSweepCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "du-vbu-sweep-" + Guid.NewGuid().ToString("N"));

    public VbuSweepCommandTests()
    {
        Directory.CreateDirectory(_dir);
    }

    [Fact]
    public void Sweep_Moons_TablesEveryLambdaAndSeed()
    {
        string output = Run(0, "vbu", "sweep", "--data", "moons", "--model", "logistic-regression", "--seeds", "2", "--fit-steps", "300", "--steps", "200",
            "--lambdas", "1,1e-3,0", "--eval-samples", "300", "--out", _dir);
        foreach (string file in new[] { "sweep.md", "metrics.json", "run.json", "erased_ids.txt" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }
        Assert.Contains("| λ | EUBO on D_e | EUBO on D_r | rKL on D_e | rKL on D_r |", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "sweep.md")).TrimEnd(), output.TrimEnd());

        // The paper's moon request: the 20 of 100 rows with the largest first coordinate.
        Assert.Equal(20, File.ReadAllLines(Path.Combine(_dir, "erased_ids.txt")).Length);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "metrics.json")));
        JsonElement[] runs = metrics.RootElement.GetProperty("runs").EnumerateArray().ToArray();
        // Per seed: full, retrained, then EUBO and rKL at each of the three λ.
        Assert.Equal(2 * (2 + (3 * 2)), runs.Length);
        Assert.Equal(8, metrics.RootElement.GetProperty("summary").GetArrayLength());
        foreach (ulong seed in new ulong[] { 0, 1 })
        {
            JsonElement Row(string method, double? lambda) => runs.Single(r =>
                r.GetProperty("seed").GetUInt64() == seed && r.GetProperty("method").GetString() == method &&
                (lambda is null ? r.GetProperty("lambda").ValueKind == JsonValueKind.Null : r.GetProperty("lambda").ValueKind == JsonValueKind.Number && r.GetProperty("lambda").GetDouble() == lambda));
            JsonElement full = Row("full", null);
            JsonElement retrained = Row("retrained", null);
            Assert.Equal(0, retrained.GetProperty("kl_erased").GetDouble());
            Assert.Equal(0, retrained.GetProperty("kl_posterior").GetDouble(), 12);
            Assert.True(full.GetProperty("kl_erased").GetDouble() > 0.01, $"seed {seed}: the request should matter");
            // λ = 1 counts the erased data nowhere, so both methods return q(θ|D) up to their optimiser's noise.
            foreach (string method in new[] { "eubo", "rkl" })
            {
                JsonElement none = Row(method, 1);
                Assert.Equal(0, none.GetProperty("counted_fraction").GetDouble());
                Assert.Equal(full.GetProperty("kl_erased").GetDouble(), none.GetProperty("kl_erased").GetDouble(), 2);
            }
            // Both move toward retraining on D_e: EUBO with the adjusted likelihood (at λ = 0 this approximate q(θ|D)
            // lets it overshoot, the paper's catastrophic unlearning), rKL also at λ = 0.
            Assert.True(Row("eubo", 1e-3).GetProperty("kl_erased").GetDouble() < full.GetProperty("kl_erased").GetDouble(), $"seed {seed}: EUBO at λ = 1e-3");
            Assert.True(Row("rkl", 0).GetProperty("kl_erased").GetDouble() < full.GetProperty("kl_erased").GetDouble(), $"seed {seed}: rKL at λ = 0");
        }
    }

    [Fact]
    public void Sweep_FashionMnistSubset_RelabelsTheChosenClasses()
    {
        // The real Fashion-MNIST (a build prerequisite, Debian's dataset-fashion-mnist).
        Run(0, "vbu", "sweep", "--data", "fashion-mnist", "--fashion-classes", "0,6", "--fashion-rows", "200", "--fashion-block", "7", "--erase", "class:1:20",
            "--seeds", "1", "--fit-steps", "50", "--steps", "20", "--lambdas", "0", "--methods", "eubo", "--eval-samples", "50", "--out", _dir);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "metrics.json")));
        // T-shirt/top vs Shirt as a binary logistic regression on 4 × 4 block means: (2 − 1) × (16 + 1) parameters.
        Assert.Equal(17, metrics.RootElement.GetProperty("parameters").GetInt32());
        Assert.Equal(200, metrics.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(20, metrics.RootElement.GetProperty("erased_rows").GetInt32());
        // Every erased id is a Shirt (label 6) in Fashion-MNIST's own file order.
        InMemoryVisionDataset train = FashionMnist.Load(DatasetSplit.Train);
        int[] erased = File.ReadAllLines(Path.Combine(_dir, "erased_ids.txt")).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.All(erased, id => Assert.Equal(6, train.Label(id)));
    }

    [Theory]
    [InlineData("--erase", "nearest:5", "valid: rightmost:N, random:N, class:K:N, ids:FILE", Program.ExitFailure)]
    [InlineData("--erase", "random:100", "the count must be an integer in 1..99", Program.ExitFailure)]
    [InlineData("--lambdas", "0.1,2", "'2' is not a number in [0, 1]", Program.ExitUsage)]
    [InlineData("--methods", "eubo,newton", "--methods must list eubo and/or rkl", Program.ExitUsage)]
    [InlineData("--seeds", "0", "--seeds must be at least 1", Program.ExitUsage)]
    [InlineData("--rkl-lr", "0", "--rkl-lr must be positive finite numbers", Program.ExitUsage)]
    public void Sweep_BadRequest_SaysWhatIsValid(string option, string value, string message, int exit)
    {
        string error = Run(exit, "vbu", "sweep", "--data", "moons", "--fit-steps", "5", "--steps", "5", option, value, "--out", _dir);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_NonMoonsWithoutErase_AsksForARequest()
    {
        string csv = Path.Combine(_dir, "two.csv");
        File.WriteAllLines(csv, Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{i * 0.1},{i % 2}")));
        string error = Run(Program.ExitFailure, "vbu", "sweep", "--data", "csv:" + csv, "--fit-steps", "5", "--out", Path.Combine(_dir, "x"));
        Assert.Contains("give --erase", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs the CLI in-process, asserts the exit code and returns standard output (or standard error on failure).</summary>
    private static string Run(int expectedExit, params string[] args)
    {
        TextWriter originalOut = Console.Out;
        TextWriter originalError = Console.Error;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        int exit;
        try
        {
            exit = Program.Main(args);
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
        Assert.True(exit == expectedExit, $"exit {exit} (expected {expectedExit}) for {string.Join(' ', args)}\nstdout: {output}\nstderr: {error}");
        return expectedExit == 0 ? output.ToString() : error.ToString();
    }
}
