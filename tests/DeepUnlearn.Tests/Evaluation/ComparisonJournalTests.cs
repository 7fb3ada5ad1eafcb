using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

public sealed class ComparisonJournalTests
{
    private static readonly Dictionary<string, string> s_settings = new()
    {
        ["checkpoint"] = "sha256:aaaa",
        ["seeds"] = "0,1",
        ["famr settings"] = """{"epochs":5,"learning_rate":0.1}""",
    };

    private static UnlearningMetrics Row(string method) => new()
    {
        Method = method,
        Seed = 1,
        UnlearningAccuracy = 100.0 / 3,
        RetainAccuracy = 99.123456789012345,
        TestAccuracy = 0.1 + 0.2,
        MiaEfficacy = double.NaN,
        LossMiaEfficacy = 1e-300,
        DistanceToOriginal = Math.PI,
        DistanceToRetrained = null,
        Seconds = 12.5,
        Diagnostics = new Dictionary<string, double> { ["steps"] = 7, ["norm"] = Math.E },
    };

    [Fact]
    public void Open_ResumeWithOtherSettings_ThrowsNamingEachDifference_AndKeepsTheRows()
    {
        using var temp = new TempDirectory();
        string folder = temp.Combine("progress");
        ComparisonJournal.Open(folder, s_settings, resume: false).Record("famr", 1, Row("famr"));
        var other = new Dictionary<string, string>(s_settings)
        {
            ["checkpoint"] = "sha256:bbbb",
            ["famr settings"] = """{"epochs":5,"learning_rate":0.2}""",
        };

        var e = Assert.Throws<InvalidOperationException>(() => ComparisonJournal.Open(folder, other, resume: true));

        Assert.Contains("checkpoint: the rows have sha256:aaaa, this run sha256:bbbb", e.Message, StringComparison.Ordinal);
        Assert.Contains("famr settings: learning_rate was 0.1, now 0.2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("epochs", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("seeds", e.Message, StringComparison.Ordinal);
        Assert.NotNull(ComparisonJournal.Open(folder, s_settings, resume: true).Find("famr", 1));
    }

    [Fact]
    public void Find_AfterResume_GivesTheRowExactlyAsRecorded()
    {
        using var temp = new TempDirectory();
        string folder = temp.Combine("progress");
        UnlearningMetrics row = Row("famr@head");
        ComparisonJournal.Open(folder, s_settings, resume: false).Record("famr@head", 1, row);

        ComparisonJournal resumed = ComparisonJournal.Open(folder, s_settings, resume: true);

        UnlearningMetrics? found = resumed.Find("famr@head", 1)?.Metrics;
        Assert.NotNull(found);
        // Doubles round-trip bit for bit (NaN included), so a resumed report equals an uninterrupted one.
        Assert.Equal(JsonSerializer.Serialize(row, JsonFile.Options), JsonSerializer.Serialize(found, JsonFile.Options));
        Assert.Equal(BitConverter.DoubleToInt64Bits(row.RetainAccuracy), BitConverter.DoubleToInt64Bits(found.RetainAccuracy));
        Assert.Null(resumed.Find("famr@head", 0));
        Assert.Null(resumed.Find("famr", 1));
    }

    [Fact]
    public void Find_RowWhoseModelIsGone_IsNotFinished()
    {
        using var temp = new TempDirectory();
        ComparisonJournal journal = ComparisonJournal.Open(temp.Combine("progress"), s_settings, resume: false);
        string model = journal.ModelPath("retrain", 0);
        File.WriteAllText(model, "weights");
        journal.Record("retrain", 0, Row("retrain"), [model]);
        Assert.Equal(["retrain-seed0.safetensors"], journal.Find("retrain", 0)!.Files);

        File.Delete(model);

        Assert.Null(journal.Find("retrain", 0));
    }

    [Fact]
    public void Open_NotResuming_StartsEmpty()
    {
        using var temp = new TempDirectory();
        string folder = temp.Combine("progress");
        ComparisonJournal.Open(folder, s_settings, resume: false).Record(ComparisonJournal.OriginalRow, null, Row("original"));

        ComparisonJournal fresh = ComparisonJournal.Open(folder, new Dictionary<string, string> { ["seeds"] = "3" }, resume: false);

        Assert.Empty(fresh.Finished());
        Assert.Null(fresh.Find(ComparisonJournal.OriginalRow, null));
    }
}
