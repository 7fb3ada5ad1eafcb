using System;
using System.Globalization;
using System.Reflection;
using System.Threading;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Process-wide engine set-up, done once before the first tensor: glibc malloc thresholds (see <see cref="Libc"/>),
/// OpenMP's wait policy and libtorch's intra-op thread count. Every <c>deepunlearn</c> process and every test
/// process calls <see cref="EnsureInitialized"/> first; later calls return the same <see cref="RuntimeInfo"/>.
/// </summary>
/// <remarks>
/// Environment: <see cref="ThreadsVariable"/> (1 to 4 × the cores; default: the cores),
/// <see cref="MallocTuningVariable"/> (<c>0</c>/<c>off</c>/<c>false</c> keeps glibc's defaults) and
/// <see cref="MallocTrimmer.PeriodVariable"/> (seconds between returns of freed heap memory under the tuning; 0: never). A user's own
/// <c>GLIBC_TUNABLES</c> malloc settings or <c>MALLOC_MMAP_THRESHOLD_</c>/<c>MALLOC_TRIM_THRESHOLD_</c> take precedence,
/// and so does a user's <see cref="OmpWaitPolicyVariable"/> (<c>ACTIVE</c> restores libgomp's spinning).
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The environment variable that sets libtorch's intra-op thread count.</summary>
    public const string ThreadsVariable = "DU_NUM_THREADS";

    /// <summary>The environment variable that turns the malloc tuning off (<c>0</c>, <c>off</c> or <c>false</c>).</summary>
    public const string MallocTuningVariable = "DU_MALLOC_TUNING";

    /// <summary>The mmap threshold set (256 MiB): libtorch's per-step buffers stay on the heap and are reused.</summary>
    public const int MmapThresholdBytes = 256 << 20;

    /// <summary>The trim threshold set (512 MiB): freed heap tops are kept for the next step instead of being unmapped.</summary>
    public const int TrimThresholdBytes = 512 << 20;

    /// <summary>
    /// libgomp's wait policy, set to <c>PASSIVE</c> when the user has not set it. libtorch's OpenMP threads otherwise
    /// spin at every barrier; on a machine shared with other jobs (CI runners, a node running several benchmark
    /// tasks) a spinning thread that is descheduled stalls its team: measured on a 2-core machine at load ~30,
    /// smallcnn training with 2 threads ran 2.5–2.8× faster passive (batch 128) and 8× faster on tiny batches.
    /// </summary>
    public const string OmpWaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>At most this many threads per core are accepted (more only adds contention).</summary>
    public const int MaxThreadsPerCore = 4;

    private static readonly Lock s_lock = new();
    private static RuntimeInfo? s_info;

    /// <summary>
    /// Applies the malloc thresholds and the thread count, once per process, and returns what is in force.
    /// </summary>
    /// <exception cref="EngineConfigurationException"><see cref="ThreadsVariable"/>, <see cref="MallocTuningVariable"/> or <see cref="MallocTrimmer.PeriodVariable"/> holds an invalid value.</exception>
    public static RuntimeInfo EnsureInitialized()
    {
        lock (s_lock)
        {
            if (s_info is not null)
            {
                return s_info;
            }
            int cores = Environment.ProcessorCount;
            // Validate everything before touching the process, so a bad variable changes nothing.
            int? requested = ParseThreads(Environment.GetEnvironmentVariable(ThreadsVariable), cores);
            bool tuningWanted = ParseMallocSwitch(Environment.GetEnvironmentVariable(MallocTuningVariable));
            int trimSeconds = MallocTrimmer.ParsePeriod(Environment.GetEnvironmentVariable(MallocTrimmer.PeriodVariable));

            // Malloc first: libtorch's own start-up allocations already benefit.
            MallocTuning malloc = !tuningWanted ? MallocTuning.DisabledByVariable
                : UserSetMallocTunables() ? MallocTuning.LeftToUserSettings
                : ApplyMallocThresholds() ? MallocTuning.Applied
                : MallocTuning.Unavailable;
            // Only our own thresholds keep freed memory in the heap; glibc's defaults and a user's settings trim themselves.
            trimSeconds = malloc == MallocTuning.Applied ? trimSeconds : 0;
            MallocTrimmer.Start(trimSeconds);
            // libgomp reads its environment once, when libtorch loads it: set before the first torch call.
            string ompWaitPolicy = ApplyOmpWaitPolicy();

            torch.InitializeDeviceType(DeviceType.CPU);
            int threads = requested ?? cores;
            torch.set_num_threads(threads);

            bool cuda = torch.cuda.is_available();
            s_info = new RuntimeInfo(
                TorchSharpVersion(),
                torch.__version__,
                torch.get_num_threads(),
                requested is not null,
                cores,
                cuda,
                cuda ? torch.cuda.device_count() : 0,
                malloc,
                ompWaitPolicy,
                trimSeconds);
            return s_info;
        }
    }

    /// <summary>
    /// The thread count <paramref name="value"/> asks for: null when unset or blank (use the cores), else a whole number
    /// from 1 to <see cref="MaxThreadsPerCore"/> × <paramref name="cores"/>.
    /// </summary>
    /// <exception cref="EngineConfigurationException">Not a whole number in that range; the message names <see cref="ThreadsVariable"/> and the range.</exception>
    internal static int? ParseThreads(string? value, int cores)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        int max = MaxThreadsPerCore * cores;
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1 || threads > max)
        {
            throw new EngineConfigurationException(
                ThreadsVariable,
                string.Create(CultureInfo.InvariantCulture,
                    $"{ThreadsVariable}='{value}' is not a valid thread count: use a whole number from 1 to {max} ({MaxThreadsPerCore} × the {cores} cores of this machine), or leave it unset to use {cores}"));
        }
        return threads;
    }

    /// <summary>Whether <see cref="MallocTuningVariable"/>'s <paramref name="value"/> leaves the tuning on.</summary>
    /// <exception cref="EngineConfigurationException">A value other than unset, 1/on/true or 0/off/false.</exception>
    internal static bool ParseMallocSwitch(string? value)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "" or "1" or "ON" or "TRUE":
                return true;
            case "0" or "OFF" or "FALSE":
                return false;
            default:
                throw new EngineConfigurationException(
                    MallocTuningVariable,
                    $"{MallocTuningVariable}='{value}' is not valid: use 0, off or false to keep glibc's malloc defaults, or 1, on, true or unset for the tuned thresholds");
        }
    }

    private static string ApplyOmpWaitPolicy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.GetEnvironmentVariable(OmpWaitPolicyVariable) ?? "unset";
        }
        string? user = Environment.GetEnvironmentVariable(OmpWaitPolicyVariable);
        if (!string.IsNullOrEmpty(user))
        {
            return $"{user} (user's setting)";
        }
        if (Libc.IsLoaded("libgomp"))
        {
            return "libgomp default (libtorch was loaded before TorchRuntime.EnsureInitialized)";
        }
        return Libc.SetEnvironmentIfUnset(OmpWaitPolicyVariable, "PASSIVE") ? "PASSIVE" : "libgomp default (setenv failed)";
    }

    private static bool UserSetMallocTunables()
    {
        string? tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        return (tunables is not null && tunables.Contains("glibc.malloc.", StringComparison.Ordinal))
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null;
    }

    private static bool ApplyMallocThresholds() =>
        Libc.IsAvailable
        && Libc.SetOption(Libc.MmapThreshold, MmapThresholdBytes)
        && Libc.SetOption(Libc.TrimThreshold, TrimThresholdBytes);

    private static string TorchSharpVersion()
    {
        Assembly assembly = typeof(torch).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
        return assembly.GetName().Version?.ToString(3) ?? "unknown";
    }
}
