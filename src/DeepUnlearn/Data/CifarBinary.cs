using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data;

/// <summary>The record layout shared by CIFAR-10 and CIFAR-100: label byte(s), then 3072 CHW pixels.</summary>
internal static class CifarBinary
{
    public static (byte[] Pixels, int[] Labels) Read(string folder, IReadOnlyList<string> files, int labelBytes, int labelIndex, int numClasses)
    {
        int recordLength = labelBytes + Cifar10.ImageLength;
        // The length of what the path names: a symbolic link's FileInfo.Length is the link's own (its target's name).
        var lengths = files.Select(f => LengthOf(Path.Combine(folder, f))).ToArray();
        for (int i = 0; i < files.Count; i++)
        {
            if (lengths[i] == 0 || lengths[i] % recordLength != 0)
            {
                throw new InvalidDataException(
                    $"{Path.Combine(folder, files[i])}: {lengths[i]} bytes is not a whole number of {recordLength}-byte records " +
                    $"({labelBytes} label byte{(labelBytes > 1 ? "s" : "")} + {Cifar10.ImageLength} pixels); the file is truncated or not in the binary format");
            }
        }
        long total = lengths.Sum() / recordLength;
        if (total * Cifar10.ImageLength > Array.MaxLength)
        {
            throw new InvalidDataException($"{folder}: {total} records do not fit in one array");
        }
        var pixels = new byte[total * Cifar10.ImageLength];
        var labels = new int[total];
        int sample = 0;
        for (int i = 0; i < files.Count; i++)
        {
            string path = Path.Combine(folder, files[i]);
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length != lengths[i])
            {
                throw new InvalidDataException($"{path}: the file changed while being read");
            }
            int records = bytes.Length / recordLength;
            for (int r = 0; r < records; r++, sample++)
            {
                int offset = r * recordLength;
                int label = bytes[offset + labelIndex];
                if (label >= numClasses)
                {
                    throw new InvalidDataException(
                        $"{path}: record {r} has label {label}, but there are {numClasses} classes (labels 0..{numClasses - 1})");
                }
                labels[sample] = label;
                bytes.AsSpan(offset + labelBytes, Cifar10.ImageLength).CopyTo(pixels.AsSpan(sample * Cifar10.ImageLength, Cifar10.ImageLength));
            }
        }
        return (pixels, labels);
    }

    private static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.Length : ((FileInfo?)info.ResolveLinkTarget(returnFinalTarget: true))?.Length
            ?? throw new FileNotFoundException($"{path}: a symbolic link whose target does not exist", path);
    }
}
