using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Bayesian;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public sealed class VbuCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "du-vbu-" + Guid.NewGuid().ToString("N"));

    public VbuCommandTests()
    {
        Directory.CreateDirectory(_dir);
        // The paper's moon set-up: erase the 20 rows (of 100) with the largest first coordinate.
        ClassificationData moons = TwoMoons.Generate(100, 0.2, seed: 0);
        int[] rightmost = Enumerable.Range(0, moons.Count).OrderByDescending(i => moons.Features[2 * i]).Take(20).ToArray();
        File.WriteAllLines(EraseIds, rightmost.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private string EraseIds => Path.Combine(_dir, "erase.txt");

    private string Dir(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("eubo")]
    [InlineData("rkl")]
    public void FitUnlearnEvaluate_Moons_UnlearnedIsCloserToRetrainedThanFull(string method)
    {
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "100", "--posterior", "full", "--steps", "800", "--out", Dir("full"));
        foreach (string file in new[] { "posterior.safetensors", "run.json", "metrics.json", "excluded_ids.txt" })
        {
            Assert.True(File.Exists(Path.Combine(Dir("full"), file)), file);
        }
        Run(0, "vbu", "unlearn", "--model", Dir("full"), "--erase-ids", EraseIds, "--method", method, "--lambda", "1e-3", "--steps", "400", "--out", Dir("unlearned"));
        Assert.Equal(20, File.ReadAllLines(Path.Combine(Dir("unlearned"), "erased_ids.txt")).Length);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("unlearned"), "metrics.json"))))
        {
            Assert.Equal(20, metrics.RootElement.GetProperty("erased_rows").GetInt32());
            Assert.Equal(80, metrics.RootElement.GetProperty("remaining_rows").GetInt32());
        }
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("unlearned"), "run.json"))))
        {
            Assert.Equal(method, run.RootElement.GetProperty("config").GetProperty("method").GetString());
            // The engine: TorchSharp 0.107 over libtorch 2.10.
            Assert.StartsWith("2.10.", run.RootElement.GetProperty("libtorch_version").GetString() ?? string.Empty, StringComparison.Ordinal);
            Assert.StartsWith("0.107.", run.RootElement.GetProperty("torchsharp_version").GetString() ?? string.Empty, StringComparison.Ordinal);
        }
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "100", "--posterior", "full", "--steps", "800", "--seed", "1",
            "--exclude-ids", Path.Combine(Dir("unlearned"), "excluded_ids.txt"), "--out", Dir("retrained"));

        string output = Run(0, "vbu", "evaluate", "--model", Dir("unlearned"), "--retrained", Dir("retrained"), "--json", "--out", Dir("evaluation"));
        using var doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        double unlearned = root.GetProperty("kl_unlearned_erased").GetDouble();
        double full = root.GetProperty("kl_full_erased").GetDouble();
        Assert.True(unlearned < full, $"{method}: KL on D_e unlearned {unlearned} vs full {full}");
        Assert.True(File.Exists(Path.Combine(Dir("evaluation"), "metrics.json")));

        string table = Run(0, "vbu", "evaluate", "--model", Dir("unlearned"), "--retrained", Dir("retrained"), "--samples", "200");
        Assert.Contains("KL on D_e", table, StringComparison.Ordinal);
        Assert.Contains("unlearned", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.01")]
    public void Unlearn_LambdaOutsideUnitInterval_IsUsageError(string lambda)
    {
        string error = Run(Program.ExitUsage, "vbu", "unlearn", "--model", Dir("none"), "--erase-fraction", "0.1", "--lambda", lambda, "--out", Dir("x"));
        Assert.Contains("--lambda must be in [0, 1]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_BadEraseSets_AreRejected()
    {
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "20", "--out", Dir("small"));

        string empty = Path.Combine(_dir, "empty.txt");
        File.WriteAllText(empty, "\n");
        Assert.Contains("lists no row ids; the erase set must not be empty",
            Run(Program.ExitFailure, "vbu", "unlearn", "--model", Dir("small"), "--erase-ids", empty, "--out", Dir("x")), StringComparison.Ordinal);

        string everything = Path.Combine(_dir, "all.txt");
        File.WriteAllText(everything, string.Join(",", Enumerable.Range(0, 30)));
        Assert.Contains("leaves no data",
            Run(Program.ExitFailure, "vbu", "unlearn", "--model", Dir("small"), "--erase-ids", everything, "--out", Dir("x")), StringComparison.Ordinal);

        string unknown = Path.Combine(_dir, "unknown.txt");
        File.WriteAllText(unknown, "3\n30\n");
        Assert.Contains("line 2: row id 30 is not among the model's 30 rows",
            Run(Program.ExitFailure, "vbu", "unlearn", "--model", Dir("small"), "--erase-ids", unknown, "--out", Dir("x")), StringComparison.Ordinal);

        Assert.Contains("strictly between 0 and 1",
            Run(Program.ExitUsage, "vbu", "unlearn", "--model", Dir("small"), "--erase-fraction", "1", "--out", Dir("x")), StringComparison.Ordinal);
        Assert.Contains("rounds to an empty erase set",
            Run(Program.ExitFailure, "vbu", "unlearn", "--model", Dir("small"), "--erase-fraction", "0.001", "--out", Dir("x")), StringComparison.Ordinal);
        Assert.Contains("exactly one of",
            Run(Program.ExitUsage, "vbu", "unlearn", "--model", Dir("small"), "--erase-fraction", "0.1", "--erase-count", "3", "--out", Dir("x")), StringComparison.Ordinal);
        Assert.Contains("valid: eubo, rkl",
            Run(Program.ExitUsage, "vbu", "unlearn", "--model", Dir("small"), "--erase-count", "3", "--method", "newton", "--out", Dir("x")), StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_MalformedCsv_NamesTheLine()
    {
        string csv = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n3,oops,1\n");
        string error = Run(Program.ExitFailure, "vbu", "fit", "--data", "csv:" + csv, "--steps", "10", "--out", Dir("x"));
        Assert.Contains("line 3: column 2 is 'oops', not a finite number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Csv_MulticlassLogisticRegression()
    {
        string csv = Path.Combine(_dir, "three.csv");
        var random = new Random(1);
        File.WriteAllLines(csv, new[] { "x,y,class" }.Concat(Enumerable.Range(0, 60).Select(i =>
        {
            int c = i % 3;
            return FormattableString.Invariant($"{c + (0.3 * random.NextDouble())},{-c + (0.3 * random.NextDouble())},k{c}");
        })));
        Run(0, "vbu", "fit", "--data", "csv:" + csv, "--posterior", "full", "--steps", "300", "--out", Dir("csv"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("csv"), "metrics.json")));
        Assert.Equal(6, metrics.RootElement.GetProperty("parameters").GetInt32());
        Assert.True(metrics.RootElement.GetProperty("train_accuracy").GetDouble() > 0.9);
    }

    [Fact]
    public void Fit_UnknownDataOrPosterior_ListsValidChoices()
    {
        Assert.Contains("valid: moons, fashion-mnist, csv:FILE", Run(Program.ExitUsage, "vbu", "fit", "--data", "cifar", "--out", Dir("x")), StringComparison.Ordinal);
        Assert.Contains("valid: diag, full", Run(Program.ExitUsage, "vbu", "fit", "--data", "moons", "--posterior", "lowrank", "--out", Dir("x")), StringComparison.Ordinal);
        Assert.Contains("valid: logistic-regression, sparse-gp", Run(Program.ExitUsage, "vbu", "fit", "--data", "moons", "--model", "svm", "--out", Dir("x")), StringComparison.Ordinal);
    }

    [Fact]
    public void SparseGp_FitUnlearnEvaluate_WithSharedInducingInputs()
    {
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "100", "--model", "sparse-gp", "--posterior", "full", "--length-scale", "0.6", "--steps", "500", "--out", Dir("gp"));
        Run(0, "vbu", "unlearn", "--model", Dir("gp"), "--erase-ids", EraseIds, "--method", "eubo", "--lambda", "1e-9", "--steps", "300", "--out", Dir("gp-eubo"));
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "100", "--model", "sparse-gp", "--posterior", "full", "--inducing-from", Dir("gp"), "--steps", "500", "--seed", "1",
            "--exclude-ids", EraseIds, "--out", Dir("gp-retrained"));
        using var doc = JsonDocument.Parse(Run(0, "vbu", "evaluate", "--model", Dir("gp-eubo"), "--retrained", Dir("gp-retrained"), "--json"));
        double unlearned = doc.RootElement.GetProperty("kl_unlearned_erased").GetDouble();
        double full = doc.RootElement.GetProperty("kl_full_erased").GetDouble();
        Assert.True(unlearned < full, $"KL on D_e unlearned {unlearned} vs full {full}");
    }

    [Fact]
    public void Evaluate_RetrainedOnOtherRows_IsRejected()
    {
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "20", "--out", Dir("a"));
        Run(0, "vbu", "unlearn", "--model", Dir("a"), "--erase-count", "5", "--steps", "5", "--out", Dir("a-unlearned"));
        string other = Path.Combine(_dir, "other.txt");
        File.WriteAllText(other, "0 1 2");
        Run(0, "vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "20", "--exclude-ids", other, "--out", Dir("b"));
        string error = Run(Program.ExitFailure, "vbu", "evaluate", "--model", Dir("a-unlearned"), "--retrained", Dir("b"));
        Assert.Contains("did not leave out exactly the unlearned rows", error, StringComparison.Ordinal);
        Assert.Contains("is not a 'vbu unlearn' output", Run(Program.ExitFailure, "vbu", "evaluate", "--model", Dir("a"), "--retrained", Dir("b")), StringComparison.Ordinal);
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
