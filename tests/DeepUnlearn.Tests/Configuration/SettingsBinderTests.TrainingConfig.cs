using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Configuration;
using DeepUnlearn.Training;
using Xunit;

namespace DeepUnlearn.Tests.Configuration;

// The binder on the training recipe (the `train` scope of --config and --set); the method options are in the other part.
public partial class SettingsBinderTests
{
    [Fact]
    public void Format_ThenApply_RestoresATrainingRecipeOfEveryKind()
    {
        // An enum, an int list, a bool, a ulong and doubles, all away from their defaults.
        var changed = new TrainingConfig
        {
            Epochs = 7,
            Optimizer = OptimizerKind.AdamW,
            Schedule = ScheduleKind.MultiStep,
            Milestones = [3, 5],
            LearningRate = 0.125,
            WeightDecay = 0,
            Augment = false,
            Seed = 12345678901234567890UL,
        };
        string line = SettingsBinder.Format(changed);
        Assert.Contains("optimizer=adam-w", line, StringComparison.Ordinal);
        Assert.Contains("milestones=3,5", line, StringComparison.Ordinal);
        TrainingConfig parsed = SettingsBinder.Apply(new TrainingConfig(), SplitSettings(line), "train");
        Assert.Equal(line, SettingsBinder.Format(parsed));
        Assert.Equal([3, 5], parsed.Milestones);
        Assert.Equal(changed with { Milestones = parsed.Milestones }, parsed);
    }

    [Fact]
    public void Apply_UnknownKey_NamesItAndListsTheValidKeys()
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsBinder.Apply(new TrainingConfig(), [new("learning_rat", "0.1")], "train"));
        Assert.Contains("train.learning_rat", e.Message, StringComparison.Ordinal);
        Assert.Contains("learning_rate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyJson_KebabAndSnakeKeys_AndBadValues_SayWhichKey()
    {
        using JsonDocument good = JsonDocument.Parse("""{"batch-size": 64, "milestones": [2, 4], "optimizer": "adam"}""");
        TrainingConfig config = SettingsBinder.ApplyJson(new TrainingConfig(), good.RootElement, "train");
        Assert.Equal((64, OptimizerKind.Adam), (config.BatchSize, config.Optimizer));
        Assert.Equal([2, 4], config.Milestones);
        using JsonDocument bad = JsonDocument.Parse("""{"epochs": "three"}""");
        var e = Assert.Throws<ArgumentException>(() => SettingsBinder.ApplyJson(new TrainingConfig(), bad.RootElement, "train"));
        Assert.Contains("train.epochs", e.Message, StringComparison.Ordinal);
        using JsonDocument badEnum = JsonDocument.Parse("""{"optimizer": "lbfgs"}""");
        e = Assert.Throws<ArgumentException>(() => SettingsBinder.ApplyJson(new TrainingConfig(), badEnum.RootElement, "train"));
        Assert.Contains("sgd", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Splits "a=1, b=2,3" into its settings (list values have commas but no spaces).</summary>
    private static IEnumerable<KeyValuePair<string, string>> SplitSettings(string line) =>
        line.Split(", ").Select(part => part.Split('=', 2)).Select(kv => new KeyValuePair<string, string>(kv[0], kv[1]));
}
