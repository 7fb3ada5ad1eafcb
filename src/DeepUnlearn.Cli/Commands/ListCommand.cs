using System;
using System.CommandLine;
using DeepUnlearn.Configuration;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn list models|datasets|methods</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = "models, datasets or methods." };
        var command = new Command("list", "List the registered models, datasets or unlearning methods.") { what };
        command.SetAction(parse =>
        {
            switch (parse.GetValue(what)?.ToLowerInvariant())
            {
                case "models":
                    foreach (ModelEntry entry in ModelRegistry.List())
                    {
                        Console.WriteLine($"{entry.Name,-12} {entry.Description}");
                    }
                    break;
                case "datasets":
                    Console.WriteLine("fashion-mnist      Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), or fashion-mnist:DIR");
                    Console.WriteLine("cifar10:DIR        CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin, batches.meta.txt)");
                    Console.WriteLine("cifar100:DIR       CIFAR-100 binary version, fine labels (train.bin, test.bin, fine_label_names.txt)");
                    Console.WriteLine("cifar100-coarse:DIR CIFAR-100 with the 20 coarse labels");
                    Console.WriteLine("idx:DIR            MNIST-style IDX files (gzipped or not)");
                    Console.WriteLine("folder:DIR         ImageFolder: DIR/train/<class>/*.jpg|png and DIR/val/<class>/... (ImageNet-100: deepunlearn data imagenet100)");
                    Console.WriteLine("packed:DIR         a folder decoded once into DIR/train.dupack, DIR/val.dupack (deepunlearn data pack); same ids as folder:");
                    break;
                case "methods":
                    foreach (MethodEntry entry in MethodRegistry.List())
                    {
                        Console.WriteLine($"{entry.Name,-16} {entry.Summary} [{entry.Source}]");
                        Console.WriteLine($"{string.Empty,-16} settings ({entry.Name}.KEY=VALUE): {SettingsBinder.Format(entry.Defaults())}");
                        Console.WriteLine($"{string.Empty,-16} defaults from {DefaultProvenance.Describe(entry.OptionsType)}");
                    }
                    break;
                default:
                    Console.Error.WriteLine($"error: list what? valid: models, datasets, methods (got '{parse.GetValue(what)}')");
                    return Program.ExitUsage;
            }
            return Program.ExitOk;
        });
        return command;
    }
}
