using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Engine;
using DeepUnlearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn bench train</c>: images/s and seconds per epoch of the real training loop (loader,
/// augmentation, model, loss, SGD) on a real dataset; and the pure model throughput used by <c>bench data</c>.
/// </summary>
internal static class TrainBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model.", DefaultValueFactory = _ => "smallcnn" };
        var data = CommonOptions.Data();
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
        var steps = new Option<int?>("--steps") { Description = "Stop after this many steps (default: one full epoch)." };
        var device = CommonOptions.Device();
        var workers = CommonOptions.Workers();
        var command = new Command("train", "Time the training loop (loader + augmentation + model + SGD) on a dataset: img/s and s/epoch.")
        {
            model, data, batch, steps, device, workers,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            Device target = CommonOptions.ResolveDevice(parse.GetValue(device)!);
            VisionData vision = VisionData.Open(parse.GetValue(data)!);
            int batchSize = parse.GetValue(batch);
            using ClassifierModel net = ModelRegistry.Create(parse.GetValue(model)!, new ModelOptions
            {
                NumClasses = vision.Train.NumClasses,
                InChannels = vision.Train.Channels,
                ImageSize = vision.ImageSize,
                Seed = 0,
            });
            ModelPlacement.MoveTo(net, target);
            var recipe = new TrainingConfig { Epochs = 1, BatchSize = batchSize, Workers = parse.GetValue(workers), Schedule = ScheduleKind.Constant };
            int[] ids = vision.Split.Train;
            if (parse.GetValue(steps) is int n)
            {
                ids = ids.Take(Math.Max(1, n) * batchSize).ToArray();
            }
            using DataLoader loader = vision.TrainLoader(ids, training: true, batchSize, 0, target, recipe.Workers);
            using var optimizer = OptimizerFactory.Create(recipe, net.TrainableParameters());
            var (_, _, seconds, imagesPerSecond) = Trainer.TrainOneEpoch(net, loader, optimizer, recipe, epoch: 0, cancellationToken: cancellationToken);
            double epochSeconds = vision.Split.Train.Length / imagesPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench train: {parse.GetValue(model)} on {vision.Specification}, batch {batchSize}, {target}, {torch.get_num_threads()} threads, {recipe.Workers} loader workers"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {ids.Length:N0} images in {seconds:F1} s: {imagesPerSecond:F0} img/s, {epochSeconds:F1} s per epoch of {vision.Split.Train.Length:N0} images"));
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    /// <summary>Training images/s of <paramref name="model"/> on random batches of the given shape (forward, loss, backward, SGD step).</summary>
    public static double ModelThroughput(ClassifierModel model, int channels, int size, int batch, int steps, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelPlacement.MoveTo(model, device);
        model.train();
        using var sgd = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using Tensor x = torch.randn([batch, channels, size, size], device: device).DetachFromDisposeScope();
        using Tensor y = torch.randint(0, model.NumClasses, [batch], device: device).DetachFromDisposeScope();
        var clock = new Stopwatch();
        for (int step = 0; step <= steps; step++)
        {
            if (step == 1)
            {
                clock.Start();
            }
            using var scope = torch.NewDisposeScope();
            Tensor loss = torch.nn.functional.cross_entropy(model.call(x), y);
            sgd.zero_grad();
            loss.backward();
            sgd.step();
            _ = loss.ToDouble();
        }
        return (double)batch * steps / clock.Elapsed.TotalSeconds;
    }
}
