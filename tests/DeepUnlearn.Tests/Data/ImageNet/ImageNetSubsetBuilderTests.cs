using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.ImageNet;
using Xunit;

namespace DeepUnlearn.Tests.Data.ImageNet;

public class ImageNetSubsetBuilderTests
{
    // A Kaggle-layout ILSVRC copy of four classes (ROOT/ILSVRC/Data/CLS-LOC/{train,val}, a flat val/ labelled by
    // LOC_val_solution.csv, names in LOC_synset_mapping.txt); the subset asks for three of them.
    private const string Tench = "n01440764", Goldfish = "n01443537", Shark = "n01484850", Ray = "n01496331";

    private static readonly ImageNetClassList s_three = ImageNetClassList.Parse([Shark, Tench, "# comment", Goldfish], "three.txt");

    private static string WriteKaggleCopy(TempDirectory temp, bool withRayOnly = false)
    {
        string root = temp.Combine("ilsvrc");
        string data = Path.Combine(root, "ILSVRC", "Data", "CLS-LOC");
        string[] classes = [Tench, Goldfish, Shark, Ray];
        for (int c = 0; c < classes.Length; c++)
        {
            if (withRayOnly && classes[c] != Ray)
            {
                continue;
            }
            string dir = Directory.CreateDirectory(Path.Combine(data, "train", classes[c])).FullName;
            for (int i = 0; i <= c; i++)
            {
                File.WriteAllBytes(Path.Combine(dir, $"{classes[c]}_{i}.JPEG"), [0xFF, 0xD8, (byte)c, (byte)i]);
            }
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
        }
        string val = Directory.CreateDirectory(Path.Combine(data, "val")).FullName;
        var solution = new System.Text.StringBuilder("ImageId,PredictionString\n");
        for (int v = 1; v <= 8; v++)
        {
            string id = ValidationLabelFiles.ValidationFileName(v)[..^".JPEG".Length];
            File.WriteAllBytes(Path.Combine(val, id + ".JPEG"), [0xFF, 0xD8, (byte)v]);
            solution.Append(id).Append(',').Append(classes[v % 4]).Append(" 1 2 3 4\n");
        }
        File.WriteAllText(Path.Combine(root, ValidationLabelFiles.LocSolutionFileName), solution.ToString());
        File.WriteAllText(Path.Combine(root, IlsvrcLayout.LocSynsetMappingFileName),
            $"{Tench} tench, Tinca tinca\n{Goldfish} goldfish, Carassius auratus\n{Shark} great white shark\n{Ray} electric ray\n");
        return root;
    }

    [Fact]
    public void Build_KaggleLayout_LinksTheRequestedClassesByWnidWithLabelsInWnidOrderAndNames()
    {
        using var temp = new TempDirectory();
        string root = WriteKaggleCopy(temp);
        string output = temp.Combine("imagenet3");
        ImageNetSubsetResult result = ImageNetSubsetBuilder.Build(new ImageNetSubsetOptions { ImageNetRoot = root, OutputDirectory = output, Classes = s_three });
        Assert.False(result.AlreadyComplete);

        // Labels follow the wnids' order (as torchvision's ImageFolder sorts class folders), names from the mapping.
        Assert.Equal([(0, Tench, "tench, Tinca tinca", 1, 2), (1, Goldfish, "goldfish, Carassius auratus", 2, 2), (2, Shark, "great white shark", 3, 2)],
            result.Manifest.Classes.Select(c => (c.Label, c.Wnid, c.Name, c.TrainImages, c.ValImages)));
        Assert.Equal(["0\tn01440764\ttench, Tinca tinca", "1\tn01443537\tgoldfish, Carassius auratus", "2\tn01484850\tgreat white shark"],
            File.ReadAllLines(Path.Combine(output, ImageNetSubsetBuilder.ClassesFileName)));
        Assert.Equal(new[] { Tench, Goldfish, Shark }, Directory.GetDirectories(Path.Combine(output, "train")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(output, "train", Ray)));
        Assert.False(File.Exists(Path.Combine(output, "train", Tench, "notes.txt")));

        // Validation images go to their class by LOC_val_solution.csv: image v is class v mod 4 (goldfish: 1 and 5).
        Assert.Equal(["ILSVRC2012_val_00000001.JPEG", "ILSVRC2012_val_00000005.JPEG"],
            Directory.GetFiles(Path.Combine(output, "val", Goldfish)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "ILSVRC", "Data", "CLS-LOC", "val", "ILSVRC2012_val_00000005.JPEG")),
            File.ReadAllBytes(Path.Combine(output, "val", Goldfish, "ILSVRC2012_val_00000005.JPEG")));
        Assert.Equal(6, result.Manifest.TrainImages);
        Assert.Equal(6, result.Manifest.ValImages);

        // A second run finds the build complete.
        Assert.True(ImageNetSubsetBuilder.Build(new ImageNetSubsetOptions { ImageNetRoot = root, OutputDirectory = output, Classes = s_three }).AlreadyComplete);
    }

    [Fact]
    public void Build_SecondBuildIntoTheSameOutputWhileOneRuns_IsRefusedAndTheFirstCompletes()
    {
        // #13: no lock, so a second builder resumed the first one's .DIR.partial and renamed it into place under it.
        using var temp = new TempDirectory();
        string root = WriteKaggleCopy(temp);
        string output = temp.Combine("imagenet3");
        var options = new ImageNetSubsetOptions { ImageNetRoot = root, OutputDirectory = output, Classes = s_three };
        Exception? second = null;
        var whileBuilding = new Inline(_ => second ??= Record.Exception(() => ImageNetSubsetBuilder.Build(options)));

        ImageNetSubsetResult first = ImageNetSubsetBuilder.Build(options, whileBuilding);

        var refused = Assert.IsType<IOException>(second);
        Assert.Contains("another build is writing", refused.Message, StringComparison.Ordinal);
        Assert.Contains(output, refused.Message, StringComparison.Ordinal);
        Assert.False(first.AlreadyComplete);
        Assert.Equal(12, first.Manifest.TrainImages + first.Manifest.ValImages);
        Assert.Equal(12, Directory.GetFiles(output, "*.JPEG", SearchOption.AllDirectories).Length);
        // The lock goes with the build: nothing is left beside the output, and the next build finds it complete.
        Assert.Equal(["ilsvrc", "imagenet3"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(ImageNetSubsetBuilder.Build(options).AlreadyComplete);
    }

    /// <summary>Reports synchronously, on the builder's thread, while it holds the output.</summary>
    private sealed class Inline(Action<DataProgress> report) : IProgress<DataProgress>
    {
        public void Report(DataProgress value) => report(value);
    }

    [Fact]
    public void Build_MissingTrainingClasses_ThrowsListingThemBeforeWritingAnything()
    {
        using var temp = new TempDirectory();
        string root = WriteKaggleCopy(temp, withRayOnly: true);
        string output = temp.Combine("imagenet3");
        var e = Assert.Throws<InvalidDataException>(() => ImageNetSubsetBuilder.Build(new ImageNetSubsetOptions { ImageNetRoot = root, OutputDirectory = output, Classes = s_three }));
        Assert.Contains("3 classes of the 3 in three.txt are missing from", e.Message, StringComparison.Ordinal);
        Assert.Contains(Tench, e.Message, StringComparison.Ordinal);
        Assert.Contains("each class needs a folder train/<wnid>/", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
