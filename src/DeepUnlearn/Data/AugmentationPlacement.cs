namespace DeepUnlearn.Data;

/// <summary>Where a <see cref="DataLoader"/> finishes its batches: the float conversion, the flip and the normalisation.</summary>
public enum AugmentationPlacement
{
    /// <summary><see cref="Device"/> when batches go to a CUDA device and the pipeline allows it, else <see cref="Host"/> (measured faster on the CPU: docs/data.md).</summary>
    Auto,

    /// <summary>Every step on the loader's threads; batches travel as float32.</summary>
    Host,

    /// <summary>
    /// The steps before a trailing RandomHorizontalFlip and Normalize on the loader's threads, their result rounded to
    /// uint8 (4× less host→device traffic; exact for crops and padding, at most half a grey level after a resize);
    /// the float conversion, flip and normalisation as tensor operations on the batch's device.
    /// </summary>
    Device,
}
