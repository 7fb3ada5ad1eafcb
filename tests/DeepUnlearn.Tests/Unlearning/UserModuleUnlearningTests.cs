using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Training;
using DeepUnlearn.Tests.Unlearning.Methods;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// A user's own TorchSharp classifier, entered through <see cref="ClassifierModel.FromModule"/>, is unlearned by every
/// registered method through the library API (issue 12): TorchVision's resnet18 and a hand-written module that is not in
/// the zoo, each trained briefly on 3-channel "squares" and asked to forget class 0. Each run must finish, return the
/// user's network (same parameter names and shapes) with finite weights, and leave the original untouched. Methods run
/// with short settings: the contract at default settings is <see cref="MethodContractTests"/>'.
/// </summary>
public class UserModuleUnlearningTests
{
    private const int Classes = 4;

    private const int Size = 16;

    /// <summary>Settings that keep each method to a pass or two over 128 images.</summary>
    private static readonly Dictionary<string, KeyValuePair<string, string>[]> s_short = new(StringComparer.Ordinal)
    {
        ["retrain"] = [new("epochs", "1")],
        ["finetune"] = [new("epochs", "1")],
        ["famr"] = [new("epochs", "1")],
        ["pgu"] = [new("epochs", "1"), new("eval_every", "1")],
        ["deltagrad-head"] = [new("head_epochs", "2")],
        ["gradient-ascent"] = [new("epochs", "1")],
        ["random-label"] = [new("epochs", "1")],
        ["salun"] = [new("epochs", "1")],
        ["scrub"] = [new("epochs", "1"), new("max_step_epochs", "1")],
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string method in MethodRegistry.Names)
        {
            data.Add("torchvision-resnet18", method);
            data.Add("hand-written", method);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_UsersOwnTorchSharpClassifier_ReturnsTheSameNetworkUnlearned(string network, string method)
    {
        using var threads = new SingleThread();
        torch.manual_seed(0).Dispose();
        InMemoryVisionDataset train = ThreeChannel(SyntheticData.Squares(160, Classes, Size, seed: 1));
        InMemoryVisionDataset test = ThreeChannel(SyntheticData.Squares(40, Classes, Size, seed: 2));
        VisionData data = VisionData.FromDatasets("squares-rgb", train, test, 0.2, 0);
        var recipe = new TrainingConfig { Epochs = 1, BatchSize = 32, LearningRate = 0.05, Workers = 0, Seed = 0 };
        using ClassifierModel original = network == "hand-written"
            ? ClassifierModel.FromModule(() => new UserNet())
            : ClassifierModel.FromModule(() => torchvision.models.resnet18(num_classes: Classes));
        SeededInitializer.Initialize(original, 0, InitRules.PyTorchDefault);
        using (DataLoader loader = data.TrainLoader(data.Split.Train, training: true, recipe.BatchSize, 0, torch.CPU, workers: 0))
        {
            new Trainer().Fit(original, loader, null, recipe);
        }
        original.eval();
        Dictionary<string, float[]> before = Values(original);
        ForgetSets sets = ForgetRequest.ForClasses(0).Resolve(train, data.Split);
        var context = new UnlearningContext(original, data, sets.Forget, sets.Retain, data.Split.Validation, sets.ForgottenClasses, recipe, torch.CPU, seed: 0) { Workers = 0 };

        using UnlearningOutcome outcome = MethodRegistry.Create(method, s_short.GetValueOrDefault(method, [])).Run(context, CancellationToken.None);

        Dictionary<string, (long[] Shape, ScalarType Type)> expected = original.state_dict().ToDictionary(kv => kv.Key, kv => (kv.Value.shape, kv.Value.dtype));
        Dictionary<string, (long[] Shape, ScalarType Type)> actual = outcome.Model.state_dict().ToDictionary(kv => kv.Key, kv => (kv.Value.shape, kv.Value.dtype));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (shape, type)) in expected)
        {
            Assert.Equal(shape, actual[name].Shape);
            Assert.Equal(type, actual[name].Type);
        }
        foreach (var (name, values) in Values(outcome.Model))
        {
            Assert.True(values.All(float.IsFinite), $"{method} left non-finite values in {name}");
        }
        Dictionary<string, float[]> after = Values(original);
        foreach (var (name, values) in before)
        {
            Assert.Equal(values, after[name]);
        }
        using var scope = torch.NewDisposeScope();
        outcome.Model.eval();
        using (torch.no_grad())
        {
            Tensor logits = outcome.Model.call(torch.zeros(2, 3, Size, Size));
            Assert.Equal([2L, Classes], logits.shape);
        }
    }

    private static Dictionary<string, float[]> Values(ClassifierModel model) =>
        model.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32).ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    /// <summary>The same images as three identical colour planes (torchvision's resnet18 takes RGB).</summary>
    private static InMemoryVisionDataset ThreeChannel(InMemoryVisionDataset gray)
    {
        int plane = gray.Height * gray.Width;
        byte[] source = gray.Pixels.ToArray();
        byte[] pixels = new byte[gray.Count * 3 * plane];
        for (int i = 0; i < gray.Count; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                Array.Copy(source, i * plane, pixels, ((i * 3) + c) * plane, plane);
            }
        }
        return new InMemoryVisionDataset(gray.Name + "-rgb", pixels, gray.Labels.ToArray(), 3, gray.Height, gray.Width, gray.ClassNames.ToArray());
    }

    /// <summary>A user's network that is not in the zoo: its own layout and names, children run through call().</summary>
    private sealed class UserNet : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _body;
        private readonly Linear _out;

        public UserNet()
            : base(nameof(UserNet))
        {
            _body = nn.Sequential(
                nn.Conv2d(3, 6, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(6, 12, 3, padding: 1), nn.BatchNorm2d(12), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten());
            _out = nn.Linear(12, Classes);
            register_module("body", _body);
            register_module("out", _out);
        }

        public override Tensor forward(Tensor input) => _out.call(_body.call(input));

        protected override void RegisterComponents()
        {
        }
    }
}
