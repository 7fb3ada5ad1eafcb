namespace DeepUnlearn.Engine;

/// <summary>What <see cref="TorchRuntime.EnsureInitialized"/> did about glibc's malloc thresholds.</summary>
public enum MallocTuning
{
    /// <summary>Set: mmap threshold 256 MiB, trim threshold 512 MiB (<see cref="TorchRuntime.MmapThresholdBytes"/>, <see cref="TorchRuntime.TrimThresholdBytes"/>).</summary>
    Applied,

    /// <summary>Left alone because <see cref="TorchRuntime.MallocTuningVariable"/> turned it off.</summary>
    DisabledByVariable,

    /// <summary>Left alone because the user set malloc tunables of their own (GLIBC_TUNABLES or MALLOC_*_ variables).</summary>
    LeftToUserSettings,

    /// <summary>Not possible here: not glibc, or glibc refused the values.</summary>
    Unavailable,
}
