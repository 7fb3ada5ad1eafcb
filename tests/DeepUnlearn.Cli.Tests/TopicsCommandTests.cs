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
    public void TrainUnlearnEvaluate_BaseMode_WritesModelsMetricsAndRefitsTheHead()
    {
        string model = Train("model");
        foreach (string file in new[] { "model.json", "arrays.bin", "documents.json", "head.json", "run.json", "metrics.json" })
        {
            Assert.True(File.Exists(Path.Combine(model, file)), file);
        }
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json"))))
        {
            Assert.Equal(4, metrics.RootElement.GetProperty("topics").GetInt32());
            Assert.Equal(600, metrics.RootElement.GetProperty("documents").GetInt32());
            Assert.True(metrics.RootElement.GetProperty("head_train_accuracy").GetDouble() > 0.6);
        }

        string unlearned = Path.Combine(_dir, "unlearned");
        var (exit, output) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--no-noise", "--retrain", "--out", unlearned);
        Assert.True(exit == Program.ExitOk, output);
        Assert.Contains("guarantee: not certified", output, StringComparison.Ordinal);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "metrics.json"))))
        {
            JsonElement root = metrics.RootElement;
            Assert.Equal("base", root.GetProperty("mode").GetString());
            Assert.Equal(4, root.GetProperty("deleted").GetInt32());
            Assert.False(root.GetProperty("noise_added").GetBoolean());
            Assert.Equal(0.5, root.GetProperty("epsilon").GetDouble());
            Assert.Equal("proven", root.GetProperty("privacy_regime").GetString());
            Assert.Equal(596, root.GetProperty("head_refit_documents").GetInt32());
            Assert.True(root.GetProperty("unlearn_seconds").GetDouble() >= 0);
            double after = root.GetProperty("distance_to_fixed_anchor_retrain_frobenius").GetDouble();
            double before = root.GetProperty("original_distance_to_fixed_anchor_retrain_frobenius").GetDouble();
            Assert.True(after < before, $"unlearned {after} vs original {before}");
        }
        using (var header = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "model.json"))))
        {
            Assert.Equal(new[] { 3, 17, 40, 99 }, header.RootElement.GetProperty("deleted_document_ids").EnumerateArray().Select(e => e.GetInt32()));
        }
        using (var head = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "head.json"))))
        {
            int[] ids = head.RootElement.GetProperty("document_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.DoesNotContain(17, ids);
            Assert.Equal(596, ids.Length);
        }

        // A second deletion of an id already unlearned fails with exit code 2 and says why.
        var (again, _) = CliRunner.Run("topics", "unlearn", "--model", unlearned, "--forget-ids", ForgetIds, "--no-noise", "--out", Path.Combine(_dir, "again"));
        Assert.Equal(Program.ExitFailure, again);

        (exit, output) = CliRunner.Run("topics", "evaluate", "--model", unlearned, "--corpus", Corpus, "--labels", Labels);
        Assert.True(exit == Program.ExitOk, output);
        Assert.Contains("log-likelihood per token", output, StringComparison.Ordinal);
        Assert.Contains("head accuracy", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_HeadMode_KeepsTheBaseModel_WritesTheFineTunedRelease_ThenBaseModeDeletesThemToo()
    {
        string model = Train("model-h");
        string unlearned = Path.Combine(_dir, "head");
        var (exit, output) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--mode", "head", "--no-noise", "--retrain", "--out", unlearned);
        Assert.True(exit == Program.ExitOk, output);
        Assert.True(File.Exists(Path.Combine(unlearned, "finetuned.json")));
        // The base model's files are byte for byte the input's.
        Assert.Equal(File.ReadAllBytes(Path.Combine(model, "arrays.bin")), File.ReadAllBytes(Path.Combine(unlearned, "arrays.bin")));
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "metrics.json"))))
        {
            JsonElement root = metrics.RootElement;
            Assert.False(root.GetProperty("base_model_modified").GetBoolean());
            Assert.Equal(4, root.GetProperty("task_documents_removed").GetInt32());
            double after = root.GetProperty("fine_tuned_distance_to_fixed_anchor_refit_frobenius").GetDouble();
            double before = root.GetProperty("original_fine_tuned_distance_to_fixed_anchor_refit_frobenius").GetDouble();
            Assert.True(after < 0.1 * before, $"released {after} vs original {before}");
        }

        // U_base afterwards must also remove the documents the base still holds.
        string other = Path.Combine(_dir, "other.txt");
        File.WriteAllText(other, "5\n");
        string based = Path.Combine(_dir, "based");
        (exit, output) = CliRunner.Run("topics", "unlearn", "--model", unlearned, "--forget-ids", other, "--no-noise", "--out", based);
        Assert.True(exit == Program.ExitOk, output);
        using var header = JsonDocument.Parse(File.ReadAllText(Path.Combine(based, "model.json")));
        Assert.Equal(new[] { 3, 5, 17, 40, 99 }, header.RootElement.GetProperty("deleted_document_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(File.Exists(Path.Combine(based, "finetuned.json")));
    }

    [Fact]
    public void Unlearn_TaskDocumentsMode_RemovesThemFromTheHeadOnly()
    {
        string model = Train("model-t");
        string unlearned = Path.Combine(_dir, "task");
        var (exit, output) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--mode", "task-documents", "--no-noise", "--out", unlearned);
        Assert.True(exit == Program.ExitOk, output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(model, "arrays.bin")), File.ReadAllBytes(Path.Combine(unlearned, "arrays.bin")));
        using var head = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearned, "head.json")));
        Assert.DoesNotContain(head.RootElement.GetProperty("document_ids").EnumerateArray().Select(e => e.GetInt32()), id => id is 3 or 17 or 40 or 99);
    }

    [Fact]
    public void Unlearn_CertifiedRequestBeyondTheBound_FailsAndSaysWhy()
    {
        string model = Train("model-n");
        var (exit, _, error) = CliRunner.RunWithErrors("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--out", Path.Combine(_dir, "n"));
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("beyond what the sensitivity bound covers", error, StringComparison.Ordinal);
        Assert.Contains("would need", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_EpsilonAboveOne_OnlyWithTheFlag_AndReportedAsNotProven()
    {
        string model = Train("model-e");
        var (refused, _) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--epsilon", "2", "--no-noise", "--out", Path.Combine(_dir, "e1"));
        Assert.Equal(Program.ExitUsage, refused);
        string output = Path.Combine(_dir, "e2");
        var (exit, text) = CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--epsilon", "2", "--allow-epsilon-outside-proven-range", "--no-noise", "--out", output);
        Assert.True(exit == Program.ExitOk, text);
        Assert.Contains("NOT proven", text, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal("outside-proven-range", metrics.RootElement.GetProperty("privacy_regime").GetString());
    }

    [Theory]
    [InlineData("--epsilon", "0")]
    [InlineData("--epsilon", "-1")]
    [InlineData("--epsilon", "1")]
    [InlineData("--epsilon", "8")]
    [InlineData("--delta", "0")]
    [InlineData("--delta", "1")]
    [InlineData("--update", "bogus")]
    [InlineData("--mode", "bogus")]
    public void Unlearn_BadParameters_IsUsageError(string option, string value)
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
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", all, "--no-noise", "--out", Path.Combine(_dir, "u3")).ExitCode);
        // The head modes need a head.
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "unlearn", "--model", model, "--forget-ids", ForgetIds, "--mode", "head", "--out", Path.Combine(_dir, "u4")).ExitCode);
    }

    [Fact]
    public void Corpus_PackagesFile_WritesLabelledCorpusThatTrainReads()
    {
        string packages = Path.Combine(_dir, "Packages");
        var lines = new System.Collections.Generic.List<string>();
        string[] games = ["puzzle game with falling blocks", "strategy game of space conquest", "arcade game with a jumping frog", "card game of patience", "chess game engine"];
        string[] science = ["genome sequence alignment tool", "molecular dynamics simulation", "astronomy image reduction", "statistics for genome studies", "chemistry molecule viewer"];
        for (int i = 0; i < games.Length; i++)
        {
            lines.AddRange([$"Package: game{i}", $"Description: {games[i]}", "Section: games", string.Empty]);
            lines.AddRange([$"Package: sci{i}", $"Description: {science[i]}", "Section: science", string.Empty]);
        }
        File.WriteAllLines(packages, lines);
        string output = Path.Combine(_dir, "corpus");
        var (exit, text) = CliRunner.Run("topics", "corpus", "--lists", packages, "--sections", "games,science", "--out", output);
        Assert.True(exit == Program.ExitOk, text);
        Assert.Equal(10, File.ReadAllLines(Path.Combine(output, "corpus.txt")).Length);
        Assert.Equal(games.Concat(science), File.ReadAllLines(Path.Combine(output, "corpus.txt")));
        Assert.True(File.Exists(Path.Combine(output, "source.json")));
        Assert.Equal(Program.ExitUsage, CliRunner.Run("topics", "corpus", "--lists", packages, "--sections", "games", "--out", output).ExitCode);
        Assert.Equal(Program.ExitFailure, CliRunner.Run("topics", "corpus", "--lists", packages, "--sections", "games,nosuch", "--out", output, "--overwrite").ExitCode);
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

    private string Train(string name)
    {
        string model = Path.Combine(_dir, name);
        var (exit, output) = CliRunner.Run("topics", "train", "--corpus", Corpus, "--topics", "4", "--min-count", "2", "--anchor-min-docs", "30", "--seed", "1", "--labels", Labels, "--device", "cpu", "--out", model);
        Assert.True(exit == Program.ExitOk, output);
        return model;
    }
}
