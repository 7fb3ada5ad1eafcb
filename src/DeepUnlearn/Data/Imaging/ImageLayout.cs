namespace DeepUnlearn.Data.Imaging;

/// <summary>How decoded pixels are ordered (the values are du_codecs.h's <c>DU_CODECS_LAYOUT_*</c>).</summary>
public enum ImageLayout
{
    /// <summary>Channel planes, each row-major: [C, H, W], what a tensor batch wants.</summary>
    Chw = 0,

    /// <summary>Interleaved rows: [H, W, C], as files and Pillow's <c>numpy.asarray(image)</c> hold them.</summary>
    Hwc = 1,
}
