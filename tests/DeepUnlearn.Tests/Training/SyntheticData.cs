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
}
