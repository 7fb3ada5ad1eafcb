using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Data.Transforms;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn bench data</c>: decode + augment throughput of the loader for the on-disk formats (CIFAR binary, IDX,
/// a JPEG folder, and the same JPEGs packed by <c>data pack</c>) beside the training throughput of the model that
/// consumes each, so the ratio says whether the loader can ever limit training (target ≥ 5×). Rates are given per
/// second of wall clock and per CPU-second of this process (all its threads), the per-core rate, which is the one to
/// compare on a shared machine. The CIFAR and JPEG inputs are generated in their exact formats in a temporary folder
/// (no downloads); IDX is the real Fashion-MNIST.
/// </summary>
internal static class DataBenchCommand
{
    private static readonly string[] s_formats = ["cifar", "idx", "folder", "packed"];

    public static Command Create()
    {
        var batches = new Option<int>("--batches") { Description = "Batches timed per format (the JPEG formats time a quarter as many, of 32).", DefaultValueFactory = _ => 40 };
        var workers = CommonOptions.Workers();
        var jpegs = new Option<int>("--jpegs") { Description = "Images in the generated JPEG folder (500×375 each).", DefaultValueFactory = _ => 256 };
        var shortSide = new Option<int>("--short-side") { Description = "Short side of the packed store.", DefaultValueFactory = _ => PackOptions.DefaultShortSide };
        var formats = new Option<string>("--formats") { Description = $"Comma-separated formats to measure: {string.Join(", ", s_formats)}.", DefaultValueFactory = _ => string.Join(",", s_formats) };
        var noConsumer = new Option<bool>("--no-consumer") { Description = "Skip the consumer models' training throughput (the slow part on a CPU)." };
        var device = CommonOptions.Device();
        var warmup = new Option<int>("--warmup") { Description = "Batches delivered before the clocks start (thread start-up, JIT compilation).", DefaultValueFactory = _ => 3 };
        var command = new Command("data", "Loader throughput (decode + augment) for CIFAR bin, IDX, a JPEG folder and its packed store, per second and per CPU-second, against the training throughput of their models.")
        {
            batches, workers, jpegs, shortSide, formats, noConsumer, warmup, device,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            int n = parse.GetValue(batches);
            int w = parse.GetValue(workers);
            string[] chosen = parse.GetValue(formats)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] unknown = chosen.Except(s_formats).ToArray();
            if (n < 2 || w < 0 || parse.GetValue(jpegs) < 32 || unknown.Length > 0 || chosen.Length == 0 || parse.GetValue(warmup) < 1)
            {
                Console.Error.WriteLine($"error: --batches must be at least 2, --workers at least 0, --jpegs at least 32, --warmup at least 1, --formats among {string.Join(", ", s_formats)}");
                return Task.FromResult(Program.ExitUsage);
            }
            var consumers = new Dictionary<string, double>(StringComparer.Ordinal);
            bool measureConsumer = !parse.GetValue(noConsumer);
            string root = Path.Combine(Path.GetTempPath(), $"du-bench-data-{Guid.NewGuid():N}");
            Directory.CreateDirectory(root);
            try
            {
                torch.Device target = CommonOptions.ResolveDevice(parse.GetValue(device)!);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"bench data: batches delivered to {target}, {w} loader workers, {TorchRuntime.EnsureInitialized().Threads} libtorch threads, {Environment.ProcessorCount} cores; img/CPU-s = images per CPU-second of this process (every thread), the per-core rate"));
                Console.WriteLine("| data | pipeline | loader img/s | img/CPU-s | consumer | consumer train img/s | ratio |");
                Console.WriteLine("| --- | --- | ---: | ---: | --- | ---: | ---: |");
                var row = new RowWriter(w, parse.GetValue(warmup), target, measureConsumer, consumers, cancellationToken);

                if (chosen.Contains("cifar"))
                {
                    IVisionDataset cifar = Cifar10.Load(WriteCifar10(root, 2000), DatasetSplit.Train);
                    row.Write("CIFAR-10 bin", cifar, TransformPresets.Train(cifar, 32), 128, n, "resnet18 (CIFAR stem)", () => ModelRegistry.Create("resnet18", new ModelOptions { ImageSize = 32 }), 3, 32);
                }
                if (chosen.Contains("idx"))
                {
                    IVisionDataset fashion = FashionMnist.Load(DatasetSplit.Train);
                    row.Write("Fashion-MNIST IDX", fashion, TransformPresets.Train(fashion, 28), 128, n, "smallcnn", () => ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28 }), 1, 28);
                }
                if (chosen.Contains("folder") || chosen.Contains("packed"))
                {
                    const string Consumer = "resnet18 (ImageNet stem, 224)";
                    static ClassifierModel ResNet() => ModelRegistry.Create("resnet18", new ModelOptions { ImageSize = 224 });
                    int jpegBatches = Math.Max(2, n / 4);
                    var folder = new ImageFolderDataset(WriteJpegFolder(root, parse.GetValue(jpegs)), ImageChannels.Rgb);
                    if (chosen.Contains("folder"))
                    {
                        row.Write("JPEG folder 500×375, reference", folder, TransformPresets.ImageNetTrain(224), 32, jpegBatches, Consumer, ResNet, 3, 224, fuse: false);
                        row.Write("JPEG folder 500×375", folder, TransformPresets.ImageNetTrain(224), 32, jpegBatches, Consumer, ResNet, 3, 224);
                        row.Write("JPEG folder 500×375", folder, TransformPresets.ImageNetEval(224), 32, jpegBatches, Consumer, ResNet, 3, 224);
                    }
                    if (chosen.Contains("packed"))
                    {
                        int side = parse.GetValue(shortSide);
                        string store = Path.Combine(root, "jpegs" + PackedDataset.Extension);
                        PackedStore.Pack(folder, store, new PackOptions { ShortSide = side, Workers = Math.Max(1, Environment.ProcessorCount) }, cancellationToken: cancellationToken);
                        using PackedDataset packed = PackedDataset.Open(store);
                        string label = string.Create(CultureInfo.InvariantCulture, $"packed store, short side {side}");
                        // Side by side in one process: the pipeline transform by transform (the reference the others equal),
                        // fused into the batch, and the device path's host part with its finish as tensor ops on the CPU.
                        row.Write(label + ", reference", packed, TransformPresets.ImageNetTrain(224), 32, jpegBatches, Consumer, ResNet, 3, 224, fuse: false);
                        row.Write(label, packed, TransformPresets.ImageNetTrain(224), 32, jpegBatches, Consumer, ResNet, 3, 224);
                        row.Write(label + ", uint8 + tensor-op finish", packed, TransformPresets.ImageNetTrain(224), 32, jpegBatches, Consumer, ResNet, 3, 224, AugmentationPlacement.Device);
                        row.Write(label, packed, TransformPresets.ImageNetEval(224), 32, jpegBatches, Consumer, ResNet, 3, 224);
                        row.Write(label + ", uint8 + tensor-op finish", packed, TransformPresets.ImageNetEval(224), 32, jpegBatches, Consumer, ResNet, 3, 224, AugmentationPlacement.Device);
                    }
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    /// <summary>Measures and prints one table row; the consumer model's throughput is measured once per model.</summary>
    private sealed class RowWriter(int workers, int warmup, torch.Device device, bool measureConsumer, Dictionary<string, double> consumers, CancellationToken cancellationToken)
    {
        public void Write(string name, IVisionDataset dataset, IImageTransform transform, int batch, int batches, string consumer, Func<ClassifierModel> model, int channels, int size,
            AugmentationPlacement augmentation = AugmentationPlacement.Host, bool fuse = true)
        {
            DataBenchmarkResult loader = DataBenchmark.Measure(dataset, transform, batch, batches, workers, device: device, cancellationToken: cancellationToken, augmentation: augmentation, fuse: fuse, warmupBatches: warmup);
            string train = "-", ratio = "-";
            if (measureConsumer)
            {
                if (!consumers.TryGetValue(consumer, out double rate))
                {
                    using ClassifierModel net = model();
                    rate = TrainBenchCommand.ModelThroughput(net, channels, size, Math.Min(batch, 32), steps: 3, device);
                    consumers[consumer] = rate;
                }
                train = rate.ToString("F0", CultureInfo.InvariantCulture);
                ratio = string.Create(CultureInfo.InvariantCulture, $"{loader.ImagesPerSecond / rate:F1}×");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {transform}{(loader.Fused ? " [fused]" : string.Empty)}{(loader.Placement == AugmentationPlacement.Device ? " [uint8, finish as tensor ops]" : string.Empty)} | {loader.ImagesPerSecond:F0} | {loader.ImagesPerCpuSecond:F0} | {consumer} | {train} | {ratio} |"));
        }
    }

    /// <summary>Five CIFAR-10 training batches in the binary format (label byte + 3072 pixel bytes per record).</summary>
    private static string WriteCifar10(string root, int perBatch)
    {
        string dir = Path.Combine(root, "cifar-10-batches-bin");
        Directory.CreateDirectory(dir);
        var rng = new Random(0);
        var record = new byte[3073];
        // Through the project's atomic writer like every other file, although this folder is the benchmark's own.
        for (int b = 1; b <= 5; b++)
        {
            AtomicFile.Write(Path.Combine(dir, $"data_batch_{b}.bin"), file =>
            {
                for (int i = 0; i < perBatch; i++)
                {
                    rng.NextBytes(record);
                    record[0] = (byte)(i % 10);
                    file.Write(record);
                }
            });
        }
        AtomicFile.Write(Path.Combine(dir, "test_batch.bin"), test =>
        {
            rng.NextBytes(record);
            record[0] = 0;
            test.Write(record);
        });
        AtomicFile.WriteAllText(Path.Combine(dir, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
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
            AtomicFile.WriteAllBytes(Path.Combine(classDir, $"{i:D5}.jpg"), ImageCodec.EncodeJpeg(pixels, 3, h, w, quality: 90));
        }
        return dir;
    }
}
