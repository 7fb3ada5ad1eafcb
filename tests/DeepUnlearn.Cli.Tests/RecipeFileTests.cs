using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Protocols;
using DeepUnlearn.Training;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>The protocol recipes under recipes/protocols load through the same path as <c>train --config</c> (their training section is the train scope).</summary>
public class RecipeFileTests
{
    public static TheoryData<string> Recipes() => new(Directory.GetFiles(Path.Combine(RepositoryRoot(), "recipes", "protocols"), "*.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Resolve_EveryProtocolRecipe_IsItsTrainingSectionAsATrainingConfig(string file)
    {
        string path = Path.Combine(RepositoryRoot(), "recipes", "protocols", file);
        TrainingConfig resolved = CommonOptions.Resolve(new TrainingConfig(), "train", path, [], ["train"]);
        resolved.Validate();
        TrainingConfig expected = RecipeVocabulary.TrainingConfig(RecipeParser.Load(path).Training);
        Assert.Equal(expected.Milestones, resolved.Milestones);
        Assert.Equal(expected with { Milestones = resolved.Milestones }, resolved);
    }

    [Fact]
    public void Resolve_SalUnCifar10Recipe_IsMainTrainPyWithItsDefaults()
    {
        // Unlearn-Saliency main_train.py: SGD(lr, momentum, weight_decay) with MultiStepLR(milestones=decreasing_lr,
        // gamma=0.1) for non-ImageNet architectures; arg_parser.py: lr 0.1, epochs 182, batch 256, momentum 0.9,
        // weight decay 5e-4, decreasing_lr "91,136", warmup 0; dataset.py: crop + flip, 5,000 of 50,000 held out.
        TrainingConfig recipe = CommonOptions.Resolve(new TrainingConfig(), "train", Path.Combine(RepositoryRoot(), "recipes", "protocols", "salun-cifar10-resnet18.json"), [], ["train"]);
        Assert.Equal(new TrainingConfig
        {
            Epochs = 182,
            BatchSize = 256,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 0.1,
            Momentum = 0.9,
            WeightDecay = 5e-4,
            Schedule = ScheduleKind.MultiStep,
            Milestones = recipe.Milestones,
            Gamma = 0.1,
            Augment = true,
            ValidationFraction = 0.1,
        }, recipe);
        Assert.Equal([91, 136], recipe.Milestones);
    }

    [Fact]
    public void Resolve_ProtocolRecipeWithSet_SetOverridesTheRecipe()
    {
        string path = Path.Combine(RepositoryRoot(), "recipes", "protocols", "salun-cifar10-resnet18.json");
        TrainingConfig recipe = CommonOptions.Resolve(new TrainingConfig(), "train", path, ["train.epochs=3"], ["train"]);
        Assert.Equal(3, recipe.Epochs);
        Assert.Equal(0.1, recipe.LearningRate);
    }

    [Fact]
    public void Resolve_ProtocolRecipeForACommandWithoutTrainScope_IsRefused()
    {
        string path = Path.Combine(RepositoryRoot(), "recipes", "protocols", "salun-cifar10-resnet18.json");
        var e = Assert.Throws<ArgumentException>(() => CommonOptions.Resolve(new TrainingConfig(), "famr", path, [], ["famr"]));
        Assert.Contains("protocol recipe", e.Message, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeepUnlearn.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no DeepUnlearn.sln above {AppContext.BaseDirectory}");
    }
}
