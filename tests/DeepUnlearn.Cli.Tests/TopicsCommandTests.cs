using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.TopicModels;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public sealed class TopicsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "du-topics-" + Guid.NewGuid().ToString("N"));

    public TopicsCommandTests()
    {
        Directory.CreateDirectory(_dir);
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { DocumentCount = 600, VocabularySize = 120, TopicCount = 4, DocumentLength = 60, Seed = 3 });
        File.WriteAllLines(Corpus, synthetic.ToLines());
        File.WriteAllLines(Labels, new[] { "id,label" }.Concat(synthetic.DocumentTopics.Select((t, i) => $"{i},{(t[0] > 0.3 ? "first" : "other")}")));
        File.WriteAllText(ForgetIds, "3\n17, 40\n99\n");
    }

    private string Corpus => Path.Combine(_dir, "corpus.txt");

    private string Labels => Path.Combine(_dir, "labels.csv");

    private string ForgetIds => Path.Combine(_dir, "forget.txt");

    [Fact]
    public void TrainUnlearnEvaluate_SyntheticCorpus_WritesModelsAndMetrics()
    {
        string model = Path.Combine(_dir, "model");
        var (exit, output) = CliRunner.Run("topics", "train", "--corpus", Corpus, "--topics", "4", "--min-count", "2", "--anchor-min-docs", "30", "--seed", "1", "--labels", Labels, "--device", "cpu", "--out", model);
        Assert.True(exit == Program.ExitOk, output);
        foreach (string file in new[] { "model.json", "arrays.bin", "documents.json", "head.json", "run.json", "metrics.json" })
        {
            Assert.True(File.Exists(Path.Combine(model, file)), file);
        }
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json"))))
        {
            Assert.Equal(4, metrics.RootElement.GetProperty("topics").GetInt32());
            Assert.Equal(600, metrics.RootElement.GetProperty("documents").GetInt32());
        }

        string unlearned = Path.Combine(_dir, "unlearned");
        (exit, output) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--epsilon", "1e12", "--delta", "1e-5", "--retrain", "--out", unlearned);
        Assert.True(exit == Program.ExitOk, output);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "metrics.json"))))
        {
            JsonElement root = metrics.RootElement;
            Assert.Equal(4, root.GetProperty("deleted").GetInt32());
            Assert.True(root.GetProperty("noise_std").GetDouble() > 0);
            Assert.True(root.GetProperty("unlearn_seconds").GetDouble() >= 0);
            Assert.Equal(4, root.GetProperty("head_deleted").GetInt32());
            double after = root.GetProperty("distance_to_fixed_anchor_retrain_frobenius").GetDouble();
            double before = root.GetProperty("original_distance_to_fixed_anchor_retrain_frobenius").GetDouble();
            Assert.True(after < before, $"unlearned {after} vs original {before}");
        }
        using (var header = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "model.json"))))
        {
            Assert.Equal(new[] { 3, 17, 40, 99 }, header.RootElement.GetProperty("deleted_document_ids").EnumerateArray().Select(e => e.GetInt32()));
        }
        Assert.True(File.Exists(Path.Combine(unlearned, "run.json")));

        // A second deletion of an id already unlearned fails with exit code 2 and says why.
        var (again, _) = CliRunner.Run("topics", "unlearn", "--model", unlearned, "--forget-ids", ForgetIds, "--out", Path.Combine(_dir, "again"));
        Assert.Equal(Program.ExitFailure, again);

        (exit, output) = CliRunner.Run("topics", "evaluate", "--model", unlearned, "--corpus", Corpus, "--labels", Labels);
        Assert.True(exit == Program.ExitOk, output);
        Assert.Contains("log-likelihood per token", output, StringComparison.Ordinal);
        Assert.Contains("head accuracy", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--epsilon", "0")]
    [InlineData("--epsilon", "-1")]
    [InlineData("--delta", "0")]
    [InlineData("--delta", "1")]
    [InlineData("--update", "bogus")]
    public void Unlearn_BadPrivacyParameters_IsUsageError(string option, string value)
    {
        var (exit, _) = CliRunner.Run("topics", "unlearn", "--model", _dir, "--forget-ids", ForgetIds, option, value, "--out", Path.Combine(_dir, "x"));
        Assert.Equal(Program.ExitUsage, exit);
    }

    [Fact]
    public void Train_MissingCorpus_IsFailure()
    {
        var (exit, _) = CliRunner.Run("topics", "train", "--corpus", Path.Combine(_dir, "nope.txt"), "--topics", "3", "--out", Path.Combine(_dir, "m"));
        Assert.Equal(Program.ExitFailure, exit);
        var (usage, _) = CliRunner.Run("topics", "train", "--corpus", Corpus, "--out", Path.Combine(_dir, "m"));
        Assert.Equal(Program.ExitUsage, usage);
    }

    [Fact]
    public void Unlearn_EmptyOrOutOfRangeIds_IsFailure()
    {
        string model = Path.Combine(_dir, "model2");
        var (exit, output) = CliRunner.Run("topics", "train", "--corpus", Corpus, "--topics", "4", "--anchor-min-docs", "30", "--device", "cpu", "--out", model);
        Assert.True(exit == Program.ExitOk, output);
        string empty = Path.Combine(_dir, "empty.txt");
        File.WriteAllText(empty, "\n");
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", empty, "--out", Path.Combine(_dir, "u1")).ExitCode);
        string outOfRange = Path.Combine(_dir, "range.txt");
        File.WriteAllText(outOfRange, "5\n600\n");
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", outOfRange, "--out", Path.Combine(_dir, "u2")).ExitCode);
        string all = Path.Combine(_dir, "all.txt");
        File.WriteAllLines(all, Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", all, "--out", Path.Combine(_dir, "u3")).ExitCode);
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
}
