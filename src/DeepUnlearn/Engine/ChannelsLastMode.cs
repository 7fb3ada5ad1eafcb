namespace DeepUnlearn.Engine;

/// <summary>Channels-last memory layout for convolutional models, as asked for (<c>--channels-last</c>); see <see cref="MemoryLayout"/>.</summary>
public enum ChannelsLastMode
{
    /// <summary>
    /// On for models with 2-D convolutions on CUDA; off on the CPU (measured there: 1.4× faster for smallcnn but no
    /// faster for resnet18, see docs/mixed-precision.md; <see cref="On"/> asks for it) and for models without convolutions.
    /// </summary>
    Auto,

    /// <summary>Convolution weights and input batches in channels-last layout.</summary>
    On,

    /// <summary>The default contiguous (NCHW) layout.</summary>
    Off,
}
