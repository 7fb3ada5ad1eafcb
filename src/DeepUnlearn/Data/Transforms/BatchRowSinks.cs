using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Where the fused crop of the batch loader stores its rows (<see cref="Resampling.ResizeRegion{TSink}"/>): straight
/// into one sample's slot of the batch tensor.
/// </summary>
internal static unsafe class BatchRowSinks
{
    /// <summary>
    /// Normalises a row (<see cref="Normalize.Apply(Span{float}, float, float)"/>, when given statistics), mirrors it
    /// when the sample is flipped, and stores it as float32 CHW at <c>destination</c>: what
    /// RandomResizedCrop → RandomHorizontalFlip → Normalize leave in the image, to the bit.
    /// </summary>
    public readonly struct Float(float* destination, int height, int width, Normalize? normalize, bool flip) : Resampling.IRowSink
    {
        public void Write(int channel, int y, Span<float> row)
        {
            if (normalize is not null)
            {
                Normalize.Apply(row, normalize.Means[channel], normalize.InverseStds[channel]);
            }
            if (flip)
            {
                row.Reverse();
            }
            row.CopyTo(new Span<float>(destination + ((((long)channel * height) + y) * width), width));
        }
    }

    /// <summary>Rounds a row to uint8 (<see cref="ByteScale.Round"/>) and stores it CHW at <c>destination</c>, unmirrored (the device mirrors).</summary>
    public readonly struct Bytes(byte* destination, int height, int width) : Resampling.IRowSink
    {
        public void Write(int channel, int y, Span<float> row) =>
            ByteScale.Round(row, new Span<byte>(destination + ((((long)channel * height) + y) * width), width));
    }
}
