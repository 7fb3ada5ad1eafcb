using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using DeepUnlearn.Data.Transforms;
using DeepUnlearn.Models;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn bench data</c>: decode + augment throughput of the loader for the three on-disk formats
/// (CIFAR binary, IDX, a JPEG folder) beside the training throughput of the model that consumes each, so
/// the ratio says whether the loader can ever limit training (target ≥ 5×). The CIFAR and JPEG inputs
/// are generated in their exact formats in a temporary folder (no downloads); IDX is the real Fashion-MNIST.
/// </summary>
internal static class DataBenchCommand
{
    public static Command Create()
    {
        var batches = new Option<int>("--batches") { Description = "Batches timed per format.", DefaultValueFactory = _ => 40 };
        var workers = CommonOptions.Workers();
        var jpegs = new Option<int>("--jpegs") { Description = "Images in the generated JPEG folder (500×375 each).", DefaultValueFactory = _ => 256 };
        var command = new Command("data", "Loader throughput (decode + augment) for CIFAR bin, IDX and a JPEG folder against the training throughput of their models.")
        {
            batches, workers, jpegs,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            int n = parse.GetValue(batches);
            int w = parse.GetValue(workers);
            string root = Path.Combine(Path.GetTempPath(), $"du-bench-data-{Guid.NewGuid():N}");
            Directory.CreateDirectory(root);
            try
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench data: {w} loader workers, {torch.get_num_threads()} libtorch threads, {Environment.ProcessorCount} cores"));
                Console.WriteLine("| data | pipeline | loader img/s | consumer | consumer train img/s | ratio |");
                Console.WriteLine("| --- | --- | ---: | --- | ---: | ---: |");

                IVisionDataset cifar = Cifar10.Load(WriteCifar10(root, 2000), DatasetSplit.Train);
                Row("CIFAR-10 bin", cifar, TransformPresets.Train(cifar, 32), 128, n, w, "resnet18 (CIFAR stem)", () => ModelRegistry.Create("resnet18", new ModelOptions { ImageSize = 32 }), 3, 32, cancellationToken);

                IVisionDataset fashion = FashionMnist.Load(DatasetSplit.Train);
                Row("Fashion-MNIST IDX", fashion, TransformPresets.Train(fashion, 28), 128, n, w, "smallcnn", () => ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28 }), 1, 28, cancellationToken);

                var folder = new ImageFolderDataset(WriteJpegFolder(root, parse.GetValue(jpegs)), ImageChannels.Rgb);
                Row("JPEG folder 500×375", folder, TransformPresets.ImageNetTrain(224), 32, Math.Max(2, n / 4), w, "resnet18 (ImageNet stem, 224)", () => ModelRegistry.Create("resnet18", new ModelOptions { ImageSize = 224 }), 3, 224, cancellationToken);
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    private static void Row(string name, IVisionDataset dataset, IImageTransform transform, int batch, int batches, int workers, string consumer, Func<Models.ClassifierModel> model, int channels, int size, System.Threading.CancellationToken cancellationToken)
    {
        DataBenchmarkResult loader = DataBenchmark.Measure(dataset, transform, batch, batches, workers, cancellationToken: cancellationToken);
        using Models.ClassifierModel net = model();
        double train = TrainBenchCommand.ModelThroughput(net, channels, size, Math.Min(batch, 32), steps: 3, torch.CPU);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {transform} | {loader.ImagesPerSecond:F0} | {consumer} | {train:F0} | {loader.ImagesPerSecond / train:F1}× |"));
    }

    /// <summary>Five CIFAR-10 training batches in the binary format (label byte + 3072 pixel bytes per record).</summary>
    private static string WriteCifar10(string root, int perBatch)
    {
        string dir = Path.Combine(root, "cifar-10-batches-bin");
        Directory.CreateDirectory(dir);
        var rng = new Random(0);
        var record = new byte[3073];
        for (int b = 1; b <= 5; b++)
        {
            using var file = File.Create(Path.Combine(dir, $"data_batch_{b}.bin"));
            for (int i = 0; i < perBatch; i++)
            {
                rng.NextBytes(record);
                record[0] = (byte)(i % 10);
                file.Write(record);
            }
        }
        using (var test = File.Create(Path.Combine(dir, "test_batch.bin")))
        {
            rng.NextBytes(record);
            record[0] = 0;
            test.Write(record);
        }
        File.WriteAllLines(Path.Combine(dir, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);
        return dir;
    }

    /// <summary>A class-per-folder tree of smooth 500×375 RGB JPEGs (quality 90).</summary>
    private static string WriteJpegFolder(string root, int count)
    {
        string dir = Path.Combine(root, "jpegs");
        var rng = new Random(1);
        const int h = 375;
        const int w = 500;
        var pixels = new byte[3 * h * w];
        for (int i = 0; i < count; i++)
        {
            string classDir = Path.Combine(dir, $"class{i % 4}");
            Directory.CreateDirectory(classDir);
            int fx = rng.Next(1, 9);
            int fy = rng.Next(1, 9);
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        double v = 127.5 + (60 * Math.Sin((fx * x / 50.0) + c)) + (60 * Math.Cos(fy * y / 40.0)) + rng.Next(-8, 9);
                        pixels[(c * h * w) + (y * w) + x] = (byte)Math.Clamp(v, 0, 255);
                    }
                }
            }
            File.WriteAllBytes(Path.Combine(classDir, $"{i:D5}.jpg"), ImageCodec.EncodeJpeg(pixels, 3, h, w, quality: 90));
        }
        return dir;
    }
}
