namespace DeepUnlearn.Data.Imaging;

/// <summary>The file formats <see cref="ImageCodec"/> reads and writes (the values are du_codecs.h's <c>DU_CODECS_FORMAT_*</c>).</summary>
public enum ImageFormat
{
    /// <summary>JPEG (baseline or progressive; gray, YCbCr, CMYK or YCCK).</summary>
    Jpeg = 1,

    /// <summary>PNG (any colour type and bit depth, interlaced or not).</summary>
    Png = 2,
}
