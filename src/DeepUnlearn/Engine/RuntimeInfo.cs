namespace DeepUnlearn.Engine;

/// <summary>The engine as this process runs it, for <c>deepunlearn info</c> and every run's <c>run.json</c>.</summary>
/// <param name="TorchSharpVersion">The TorchSharp assembly's version (e.g. <c>0.107.0</c>).</param>
/// <param name="LibTorchVersion">libtorch's version as TorchSharp reports it (<c>torch.__version__</c>, e.g. <c>2.10.0.0</c>).</param>
/// <param name="Threads">libtorch's intra-op thread count, as set.</param>
/// <param name="ThreadsFromVariable">Whether <see cref="Threads"/> came from <see cref="TorchRuntime.ThreadsVariable"/> (else: the cores).</param>
/// <param name="Cores">The cores this process may use (<see cref="System.Environment.ProcessorCount"/>).</param>
/// <param name="CudaAvailable">Whether libtorch reports a usable CUDA device.</param>
/// <param name="CudaDeviceCount">How many CUDA devices libtorch sees (0 without CUDA).</param>
/// <param name="Malloc">What was done about glibc's malloc thresholds.</param>
/// <param name="MallocTrimSeconds">The period of <see cref="MallocTrimmer"/> in seconds; 0 when it does not run (the tuning is not applied, or <see cref="MallocTrimmer.PeriodVariable"/> is 0).</param>
/// <param name="OmpWaitPolicy">libgomp's wait policy in force: <c>PASSIVE</c> (set here), the user's setting, or why the default stayed.</param>
public sealed record RuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    int Threads,
    bool ThreadsFromVariable,
    int Cores,
    bool CudaAvailable,
    int CudaDeviceCount,
    MallocTuning Malloc,
    string OmpWaitPolicy,
    int MallocTrimSeconds = 0);
