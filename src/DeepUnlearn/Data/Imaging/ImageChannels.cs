namespace DeepUnlearn.Data.Imaging;

/// <summary>How many channels a decoded image gets (the values are du_codecs.h's <c>DU_CODECS_CHANNELS_*</c>).</summary>
public enum ImageChannels
{
    /// <summary>What the file holds: 1 for gray (and gray + alpha) files, 3 for everything else.</summary>
    Keep = 0,

    /// <summary>One channel; colour is reduced with ITU-R 601-2 luma, as Pillow's <c>convert("L")</c>.</summary>
    Gray = 1,

    /// <summary>Three channels, R, G, B; gray is replicated, as Pillow's <c>convert("RGB")</c>.</summary>
    Rgb = 3,
}
