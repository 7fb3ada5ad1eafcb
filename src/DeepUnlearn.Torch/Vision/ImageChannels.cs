namespace DeepUnlearn.Torch.Vision;

/// <summary>How many channels a decoded image gets (the values are du_api.h's <c>DU_IMAGE_*</c> codes).</summary>
public enum ImageChannels
{
    /// <summary>What the file holds: 1 for grayscale files, 3 for everything else.</summary>
    Keep = 0,

    /// <summary>One channel; colour is reduced with ITU-R 601-2 luma, as PIL's <c>convert("L")</c>.</summary>
    Gray = 1,

    /// <summary>Three channels, R, G, B; gray is replicated, as PIL's <c>convert("RGB")</c>.</summary>
    Rgb = 3,
}
