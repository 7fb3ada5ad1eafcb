using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>Readers of the two files that label ILSVRC-2012's flat validation folder (val/ILSVRC2012_val_%08d.JPEG).</summary>
internal static class ValidationLabelFiles
{
    /// <summary>The devkit's ground-truth file name.</summary>
    public const string GroundTruthFileName = "ILSVRC2012_validation_ground_truth.txt";

    /// <summary>The Kaggle challenge's validation solution file name.</summary>
    public const string LocSolutionFileName = "LOC_val_solution.csv";

    /// <summary>The validation image of 1-based index <paramref name="index"/>.</summary>
    public static string ValidationFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"ILSVRC2012_val_{index:D8}.JPEG");

    /// <summary>
    /// Reads the devkit's <c>ILSVRC2012_validation_ground_truth.txt</c>: line i holds the ILSVRC2012_ID of
    /// <c>ILSVRC2012_val_{i:08}.JPEG</c>, mapped to its wnid by the devkit's <c>meta.mat</c>.
    /// </summary>
    /// <returns>File name → wnid.</returns>
    /// <exception cref="InvalidDataException">A line is not an ID of <paramref name="meta"/>'s leaf classes; the message names the line.</exception>
    public static Dictionary<string, string> ReadGroundTruth(string path, SynsetNames meta)
    {
        if (meta.WnidById.Count == 0)
        {
            throw new InvalidDataException($"{meta.Source}: maps no ILSVRC2012_ID to a wnid; the ground truth needs the devkit's meta.mat");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in InputFile.ReadAllLines(path, "validation label file"))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0)
            {
                throw new InvalidDataException($"{path}, line {number}: empty; every line holds the ILSVRC2012_ID (1..{meta.WnidById.Count}) of validation image {number}");
            }
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || !meta.WnidById.TryGetValue(id, out string? wnid))
            {
                throw new InvalidDataException($"{path}, line {number}: '{line}' is not an ILSVRC2012_ID of {meta.Source} (valid: 1..{meta.WnidById.Count})");
            }
            labels.Add(ValidationFileName(number), wnid);
        }
        if (labels.Count == 0)
        {
            throw new InvalidDataException($"{path}: is empty; expected one ILSVRC2012_ID per validation image");
        }
        return labels;
    }

    /// <summary>
    /// Reads <c>LOC_val_solution.csv</c>: a header <c>ImageId,PredictionString</c>, then one line per image whose
    /// prediction string starts with the image's wnid (boxes follow: "n01751748 123 45 234 67 ...").
    /// </summary>
    /// <returns>File name (ImageId + ".JPEG") → wnid.</returns>
    /// <exception cref="InvalidDataException">A malformed line or a conflicting repeat; the message names the line.</exception>
    public static Dictionary<string, string> ReadLocSolution(string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in InputFile.ReadAllLines(path, "validation label file"))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || (number == 1 && line.StartsWith("ImageId", StringComparison.Ordinal)))
            {
                continue;
            }
            int comma = line.IndexOf(',', StringComparison.Ordinal);
            string id = comma < 0 ? string.Empty : line[..comma].Trim();
            string rest = comma < 0 ? string.Empty : line[(comma + 1)..].TrimStart();
            int space = rest.IndexOf(' ', StringComparison.Ordinal);
            string wnid = space < 0 ? rest : rest[..space];
            if (id.Length == 0 || !ImageNetClassList.IsWnid(wnid))
            {
                throw new InvalidDataException($"{path}, line {number}: expected 'ImageId,wnid x y x y ...' (e.g. 'ILSVRC2012_val_00008726,n02119789 255 142 454 329'), found '{line}'");
            }
            string file = id + ".JPEG";
            if (labels.TryGetValue(file, out string? previous) && previous != wnid)
            {
                throw new InvalidDataException($"{path}, line {number}: {id} is labelled {wnid} here and {previous} earlier");
            }
            labels[file] = wnid;
        }
        if (labels.Count == 0)
        {
            throw new InvalidDataException($"{path}: holds no labels; expected 'ImageId,PredictionString' lines");
        }
        return labels;
    }
}
