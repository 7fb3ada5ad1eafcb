using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Training;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>The recipe files under recipes/ load through the same path as <c>train --config</c>.</summary>
public class RecipeFileTests
{
    public static TheoryData<string> Recipes() => new(Directory.GetFiles(Path.Combine(RepositoryRoot(), "recipes"), "*.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Resolve_EveryRecipe_IsAValidTrainingConfig(string file)
    {
        TrainingConfig recipe = CommonOptions.Resolve(new TrainingConfig(), "train", Path.Combine(RepositoryRoot(), "recipes", file), [], ["train"]);
        recipe.Validate();
    }

    [Fact]
    public void Resolve_SalUnCifar10Recipe_IsMainTrainPyWithItsDefaults()
    {
        // Unlearn-Saliency main_train.py: SGD(lr, momentum, weight_decay) with MultiStepLR(milestones=decreasing_lr,
        // gamma=0.1) for non-ImageNet architectures; arg_parser.py: lr 0.1, epochs 182, batch 256, momentum 0.9,
        // weight decay 5e-4, decreasing_lr "91,136", warmup 0; dataset.py: crop + flip, 5,000 of 50,000 held out.
        TrainingConfig recipe = CommonOptions.Resolve(new TrainingConfig(), "train", Path.Combine(RepositoryRoot(), "recipes", "salun-cifar10-resnet18.json"), [], ["train"]);
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
