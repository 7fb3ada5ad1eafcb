using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Data.ImageNet;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Reporting;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn data imagenet100|pack|verify</c>: prepare datasets. <c>imagenet100</c> builds ImageNet-100 from an
/// ILSVRC-2012 copy as an image folder (<see cref="ImageNetSubsetBuilder"/>); <c>pack</c> decodes an image folder once
/// into a memory-mapped store (<see cref="PackedStore"/>); <c>verify</c> checks a store's pixels against their checksums.
/// </summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Prepare datasets: build ImageNet-100 from ILSVRC-2012, pack an image folder for fast loading.");
        command.Subcommands.Add(CreateImageNet100());
        command.Subcommands.Add(CreatePack());
        command.Subcommands.Add(CreateVerify());
        return command;
    }

    private static Command CreateImageNet100()
    {
        var imagenet = new Option<string>("--imagenet")
        {
            Description = "The ILSVRC-2012 copy: DIR/train/<wnid>/*.JPEG and DIR/val/ (by wnid folders, or flat with the devkit or LOC_val_solution.csv), or the Kaggle layout.",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "The output folder (appears complete at the end; rerun to resume).", Required = true };
        var classes = new Option<string?>("--classes") { Description = "A class list file (one wnid per line) instead of ImageNet-100 (CMC's imagenet100.txt)." };
        var devkit = new Option<string?>("--devkit") { Description = "The extracted ILSVRC2012_devkit_t12 folder (data/meta.mat, data/ILSVRC2012_validation_ground_truth.txt), if not under --imagenet." };
        var solution = new Option<string?>("--val-solution") { Description = "LOC_val_solution.csv, if not under --imagenet." };
        var mapping = new Option<string?>("--synset-mapping") { Description = "LOC_synset_mapping.txt (wnid → name), if not under --imagenet." };
        var placement = new Option<string>("--placement") { Description = "auto (hard links where possible, else copies), hardlink or copy.", DefaultValueFactory = _ => "auto" };
        placement.AcceptOnlyFromAmong("auto", "hardlink", "copy");
        var verbose = CommonOptions.Verbose();
        var command = new Command("imagenet100", "Build ImageNet-100 (or another class list) from ILSVRC-2012 as DIR/train/<wnid>/ and DIR/val/<wnid>/ (read it as folder:DIR).")
        {
            imagenet, output, classes, devkit, solution, mapping, placement, verbose,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using ILoggerFactory logging = CliLogging.Create(parse.GetValue(verbose));
            var options = new ImageNetSubsetOptions
            {
                ImageNetRoot = parse.GetValue(imagenet)!,
                OutputDirectory = parse.GetValue(output)!,
                Classes = parse.GetValue(classes) is string file ? ImageNetClassList.ReadFile(file) : ImageNetClassList.ImageNet100,
                DevkitDirectory = parse.GetValue(devkit),
                LocSolutionFile = parse.GetValue(solution),
                SynsetMappingFile = parse.GetValue(mapping),
                Placement = parse.GetValue(placement) switch
                {
                    "hardlink" => FilePlacement.HardLink,
                    "copy" => FilePlacement.Copy,
                    _ => FilePlacement.Auto,
                },
            };
            ImageNetSubsetResult result = ImageNetSubsetBuilder.Build(options, new ConsoleProgress("imagenet100"), logging.CreateLogger("DeepUnlearn.Data.ImageNet"), cancellationToken);
            ImageNetSubsetManifest m = result.Manifest;
            Console.WriteLine(result.AlreadyComplete
                ? $"{result.OutputDirectory} is already complete: nothing to do"
                : string.Create(CultureInfo.InvariantCulture, $"built {result.OutputDirectory}: {m.Linked} images hard-linked, {m.Copied} copied, {m.Resumed} already in place"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Classes.Count} classes ({m.ClassList}): {m.TrainImages} training and {m.ValImages} validation images"));
            Console.WriteLine($"validation labels: {m.ValidationLabels}");
            Console.WriteLine($"class names: {m.NamesFrom ?? "none found (classes are named by wnid)"}; table in {Path.Combine(result.OutputDirectory, ImageNetSubsetBuilder.ClassesFileName)}");
            Console.WriteLine($"use it as --data folder:{result.OutputDirectory}, or pack it: deepunlearn data pack --folder {result.OutputDirectory} --out {result.OutputDirectory}-packed");
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    private static Command CreatePack()
    {
        var folder = new Option<string>("--folder") { Description = "The image folder to pack: DIR/train/<class>/ and DIR/val/<class>/ (or test/), as folder:DIR reads it.", Required = true };
        var output = new Option<string>("--out") { Description = "The output folder: train.dupack and val.dupack (read it as packed:DIR).", Required = true };
        var shortSide = new Option<int>("--short-side")
        {
            Description = "Every image is resized so its shorter side is this (256: the standard evaluation's Resize(256) before CenterCrop(224)).",
            DefaultValueFactory = _ => PackOptions.DefaultShortSide,
        };
        var workers = new Option<int>("--workers") { Description = "Decoding threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var verify = new Option<bool>("--verify") { Description = "Read the stores back and check every image's checksum." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("pack", "Decode an image folder once into memory-mapped stores of uint8 pixels at a fixed short side (read them as packed:DIR).")
        {
            folder, output, shortSide, workers, verify, verbose,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            int side = parse.GetValue(shortSide);
            int threads = parse.GetValue(workers);
            if (side is < 8 or > 4096 || threads < 1)
            {
                Console.Error.WriteLine("error: --short-side must be in 8..4096 and --workers at least 1");
                return Task.FromResult(Program.ExitUsage);
            }
            using ILoggerFactory logging = CliLogging.Create(parse.GetValue(verbose));
            string outDir = parse.GetValue(output)!;
            // Packing resumes (an identical store is kept), so the folder is claimed to continue, not to be new: the
            // claim is for the lock (two packs into one folder) and the clean-up of an interrupted pack's temporaries.
            using RunDirectory run = RunDirectory.Claim(outDir, RunDirectoryMode.Resume);
            var splits = PackedStore.PackFolder(parse.GetValue(folder)!, outDir, new PackOptions { ShortSide = side, Workers = threads },
                new ConsoleProgress("pack"), logging, cancellationToken);
            foreach (PackedSplit split in splits)
            {
                Console.WriteLine(split.AlreadyPacked
                    ? string.Create(CultureInfo.InvariantCulture, $"{split.Split}: {split.Path} already packed ({split.Images} images): kept")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{split.Split}: {split.Images} images → {split.Path} ({split.PixelBytes / 1e9:F2} GB of pixels) in {split.Elapsed.TotalSeconds:F1} s ({split.Images / Math.Max(split.Elapsed.TotalSeconds, 1e-9):F0} img/s)"));
            }
            if (parse.GetValue(verify))
            {
                VerifyStores(splits.Select(s => s.Path));
            }
            Console.WriteLine($"use it as --data packed:{Path.GetFullPath(outDir)}");
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    private static Command CreateVerify()
    {
        var packed = new Option<string>("--packed") { Description = "The packed folder (train.dupack, val.dupack) or one .dupack file.", Required = true };
        var command = new Command("verify", "Check every image of a packed store against the checksum stored when it was packed.") { packed };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(packed)!;
            string[] files = File.Exists(target) ? [target]
                : Directory.Exists(target) ? Directory.GetFiles(target, "*" + PackedDataset.Extension).Order(StringComparer.Ordinal).ToArray()
                : [];
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"error: '{target}' is neither a {PackedDataset.Extension} file nor a folder holding any");
                return Program.ExitUsage;
            }
            VerifyStores(files);
            return Program.ExitOk;
        });
        return command;
    }

    private static void VerifyStores(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            using PackedDataset store = PackedDataset.Open(file);
            store.Verify(new ConsoleProgress(Path.GetFileName(file)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {store.Count} images, short side {store.ShortSide}, every checksum matches"));
        }
    }
}
