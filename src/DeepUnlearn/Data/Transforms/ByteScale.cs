namespace DeepUnlearn.Data.Transforms;

/// <summary>The 256 values b / 255 as float, for uint8 → [0, 1] conversion.</summary>
internal static class ByteScale
{
    public static readonly float[] Table = Build();

    private static float[] Build()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = i / 255f;
        }
        return table;
    }
}
