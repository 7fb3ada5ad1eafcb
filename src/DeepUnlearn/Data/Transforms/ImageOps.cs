using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>Pixel operations shared by the crop transforms.</summary>
internal static class ImageOps
{
    /// <summary>
    /// Writes the height × width window of <paramref name="source"/> whose top-left corner is (top, left)
    /// into <paramref name="destination"/>; pixels outside the source are 0 (constant zero padding).
    /// </summary>
    public static void Crop(FloatImage source, FloatImage destination, int top, int left, int height, int width)
    {
        destination.Resize(source.Channels, height, width);
        int x0 = Math.Clamp(-left, 0, width);
        int x1 = Math.Clamp(source.Width - left, x0, width);
        for (int c = 0; c < source.Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                Span<float> row = destination.Row(c, y);
                int sy = top + y;
                if (sy < 0 || sy >= source.Height || x1 <= x0)
                {
                    row.Clear();
                    continue;
                }
                row[..x0].Clear();
                source.Row(c, sy).Slice(left + x0, x1 - x0).CopyTo(row[x0..x1]);
                row[x1..].Clear();
            }
        }
    }
}
