using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// The options <c>deepunlearn deltagrad</c> and <c>deepunlearn bench deltagrad</c> share: the data, the
/// recorded training run (<see cref="DeltaGradRecipe"/>, whose defaults each command picks) and DeltaGrad's
/// T0, j0, m (defaults: <see cref="DeltaGradOptions"/>'s).
/// </summary>
internal sealed class DeltaGradCliOptions(
    int defaultBatchSize,
    int defaultEpochs,
    string defaultLearningRates = "0.2",
    double defaultWeightDecay = 5e-3)
{
    public Option<string> Dataset { get; } = CreateDataset();

    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = $"Directory of the Fashion-MNIST IDX files (default {DeltaGradData.DefaultFashionMnistDirectory})." };

    public Option<int> TrainSize { get; } = new("--train-size") { Description = "Use the first N training samples (0: all).", DefaultValueFactory = _ => 0 };

    public Option<string> Model { get; } = CreateChoice("--model", "Model to train.", "logreg", "mlp");

    public Option<long> Hidden { get; } = new("--hidden") { Description = "Hidden units of the two-layer model (the paper's 300).", DefaultValueFactory = _ => TwoLayerPerceptron.PaperHiddenUnits };

    public Option<string> Activation { get; } = CreateChoice("--activation", "Hidden nonlinearity of the two-layer model.", "sigmoid", "relu");

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Mini-batch size; 0 for full-batch gradient descent.", DefaultValueFactory = _ => defaultBatchSize };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Epochs of the original training (full-batch: steps).", DefaultValueFactory = _ => defaultEpochs };

    public Option<string> LearningRate { get; } = new("--lr")
    {
        Description = "Learning rate η, or comma-separated rates of consecutive stages (with --lr-epochs), as the authors' --lr 0.1 0.05.",
        DefaultValueFactory = _ => defaultLearningRates,
    };

    public Option<string?> LearningRateEpochs { get; } = new("--lr-epochs")
    {
        Description = "Comma-separated epochs of each --lr stage, adding up to --epochs (the authors' --lrlen 10 10); without it the stages share the epochs evenly.",
    };

    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay λ.", DefaultValueFactory = _ => defaultWeightDecay };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the initialisation, batch order and deletions.", DefaultValueFactory = _ => 0UL };

    public Option<string> Precision { get; } = CreateChoice("--dtype", "Precision of the model and trajectory.", "float64", "float32");

    public Option<string> Device { get; } = new("--device") { Description = "auto, cpu or cuda[:n].", DefaultValueFactory = _ => "auto" };

    public Option<int> Period { get; } = new("--period") { Description = "DeltaGrad T0: an exact gradient every T0 steps after the burn-in.", DefaultValueFactory = _ => new DeltaGradOptions().Period };

    public Option<int> BurnIn { get; } = new("--burn-in") { Description = "DeltaGrad j0: exact steps at the start.", DefaultValueFactory = _ => new DeltaGradOptions().BurnIn };

    public Option<int> History { get; } = new("--history") { Description = "DeltaGrad m: the L-BFGS history size.", DefaultValueFactory = _ => new DeltaGradOptions().History };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Dataset, DataDirectory, TrainSize, Model, Hidden, Activation, BatchSize, Epochs, LearningRate, LearningRateEpochs, WeightDecay, Seed, Precision, Device, Period, BurnIn, History })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The recorded run's recipe, validated (<see cref="System.ArgumentOutOfRangeException"/> or
    /// <see cref="System.FormatException"/> names what is wrong).
    /// </summary>
    public DeltaGradRecipe Recipe(ParseResult parse)
    {
        double[] rates = ParseList(parse.GetValue(LearningRate), "--lr", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
        int[] stages = ParseList(parse.GetValue(LearningRateEpochs), "--lr-epochs", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));
        int epochs = parse.GetValue(Epochs);
        if (stages.Length == 0 && rates.Length > 1 && epochs >= rates.Length)
        {
            // Without --lr-epochs the stages share the epochs evenly (the authors' --lrlen 10 10 for 20 epochs),
            // the earlier stages taking the remainder.
            stages = Enumerable.Range(0, rates.Length).Select(i => (epochs / rates.Length) + (i < epochs % rates.Length ? 1 : 0)).ToArray();
        }
        var recipe = new DeltaGradRecipe
        {
            LearningRates = rates,
            LearningRateEpochs = stages,
            Model = parse.GetValue(Model) == "mlp" ? FlatModelKind.Mlp : FlatModelKind.LogisticRegression,
            HiddenUnits = parse.GetValue(Hidden),
            Activation = parse.GetValue(Activation) == "relu" ? HiddenActivation.Relu : HiddenActivation.Sigmoid,
            BatchSize = parse.GetValue(BatchSize),
            Epochs = epochs,
            WeightDecay = parse.GetValue(WeightDecay),
            Seed = parse.GetValue(Seed),
            ScalarType = parse.GetValue(Precision) == "float32" ? ScalarType.Float32 : ScalarType.Float64,
        };
        recipe.Validate();
        return recipe;
    }

    /// <summary>T0, j0 and m, validated.</summary>
    public DeltaGradOptions Algorithm(ParseResult parse)
    {
        var options = new DeltaGradOptions { Period = parse.GetValue(Period), BurnIn = parse.GetValue(BurnIn), History = parse.GetValue(History) };
        options.Validate();
        return options;
    }

    /// <summary>The device named by --device, checked against what libtorch can use.</summary>
    public torch.Device TargetDevice(ParseResult parse) => CommonOptions.ResolveDevice(parse.GetValue(Device) ?? "auto");

    private static T[] ParseList<T>(string? text, string name, Func<string, T> parse)
    {
        string[] parts = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new T[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            try
            {
                values[i] = parse(parts[i]);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{name}: '{parts[i]}' is not a number (expected a comma-separated list)", e);
            }
        }
        return values;
    }

    private static Option<string> CreateDataset()
    {
        var option = new Option<string>("--dataset") { Description = "Training data.", DefaultValueFactory = _ => DeltaGradData.FashionMnist };
        option.AcceptOnlyFromAmong(DeltaGradData.FashionMnist, DeltaGradData.Synthetic);
        return option;
    }

    private static Option<string> CreateChoice(string name, string description, string defaultValue, params string[] others)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([defaultValue, .. others]);
        return option;
    }
}
