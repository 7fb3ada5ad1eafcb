namespace DeepUnlearn.Engine;

/// <summary>Automatic mixed precision, as asked for (<c>--amp</c>); <see cref="PrecisionOptions.Resolve(TorchSharp.torch.Device, bool)"/> turns it into a <see cref="PrecisionPolicy"/>.</summary>
public enum MixedPrecisionMode
{
    /// <summary>
    /// On CUDA: bfloat16 where the device runs it in hardware (compute capability ≥ 8.0), float16 with loss scaling
    /// otherwise. On the CPU: off (bfloat16 autocast measured 12× slower than float32 for smallcnn and 26× for resnet18
    /// on an AVX2 CPU without native bfloat16; see docs/mixed-precision.md).
    /// </summary>
    Auto,

    /// <summary>Float32 throughout.</summary>
    Off,

    /// <summary>bfloat16 autocast (float32's range: no loss scaling).</summary>
    BFloat16,

    /// <summary>float16 autocast with dynamic loss scaling (<see cref="GradScaler"/>).</summary>
    Float16,
}
