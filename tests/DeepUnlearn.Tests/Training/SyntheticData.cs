using System;
using System.Linq;
using DeepUnlearn.Data;

namespace DeepUnlearn.Tests.Training;

/// <summary>Small learnable image datasets: each class is a bright square at its own position plus noise.</summary>
internal static class SyntheticData
{
    public static InMemoryVisionDataset Squares(int count, int classes = 4, int size = 12, int seed = 0, string name = "squares")
    {
        var rng = new Random(seed);
        var pixels = new byte[count * size * size];
        var labels = new int[count];
        int cell = size / 2;
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[i] = label;
            int top = label / 2 % 2 * cell;
            int left = label % 2 * cell;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    bool on = y >= top && y < top + cell && x >= left && x < left + cell;
                    int value = (on ? 170 + (label >= 4 ? 60 : 0) : 30) + rng.Next(-25, 26);
                    pixels[(i * size * size) + (y * size) + x] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        }
        return new InMemoryVisionDataset(name, pixels, labels, 1, size, size, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());
    }

    /// <summary>
    /// A harder many-class problem: each class is a fixed random gray pattern (its prototype, drawn from
    /// <paramref name="prototypeSeed"/>) and each sample that pattern plus uniform noise of ±<paramref name="noise"/>,
    /// so classes overlap and a briefly trained model is confident but not saturated.
    /// </summary>
    public static InMemoryVisionDataset Prototypes(int count, int classes, int size, int noise, int seed, int prototypeSeed = 100, string name = "prototypes")
    {
        var prototypes = new Random(prototypeSeed);
        var patterns = new byte[classes, size * size];
        for (int c = 0; c < classes; c++)
        {
            for (int p = 0; p < size * size; p++)
            {
                patterns[c, p] = (byte)prototypes.Next(40, 216);
            }
        }
        var rng = new Random(seed);
        var pixels = new byte[count * size * size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[i] = label;
            for (int p = 0; p < size * size; p++)
            {
                pixels[(i * size * size) + p] = (byte)Math.Clamp(patterns[label, p] + rng.Next(-noise, noise + 1), 0, 255);
            }
        }
        return new InMemoryVisionDataset(name, pixels, labels, 1, size, size, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());
    }
}
