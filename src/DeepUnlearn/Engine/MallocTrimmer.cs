using System;
using System.Globalization;
using System.Threading;

namespace DeepUnlearn.Engine;

/// <summary>
/// Returns the heap memory libtorch has freed to the kernel at a fixed period (<c>malloc_trim(0)</c>), in processes
/// where <see cref="TorchRuntime"/> raised glibc's thresholds.
/// </summary>
/// <remarks>
/// With the raised thresholds a training step's large buffers come from the heap and are reused, which is what makes
/// the step fast (no mmap, munmap and page faults per buffer), but glibc then keeps every freed byte, and the heap
/// fragments: measured with ResNet-18 at batch 128 on this project's 2-core Debian 12 machine (glibc 2.36), 190 MB in
/// use throughout while the free memory held in the heap grew from 1.0 to 1.8 GB over 20 steps (libtorch allocates with
/// 64-byte aligned <c>posix_memalign</c>, which glibc before 2.38 serves by carving a larger chunk rather than reusing a
/// free one of the same size: the likely cause). Trimming every <see cref="DefaultPeriodSeconds"/> s hands those free
/// pages back; the next step faults in the pages it reuses once, which costs about one step's page faults of glibc's
/// default settings per period instead of per step.
/// </remarks>
public static class MallocTrimmer
{
    /// <summary>The environment variable that sets the period in seconds (<c>0</c> turns the trimming off).</summary>
    public const string PeriodVariable = "DU_MALLOC_TRIM_SECONDS";

    /// <summary>The period when <see cref="PeriodVariable"/> is unset.</summary>
    public const int DefaultPeriodSeconds = 30;

    /// <summary>The longest period accepted (one hour).</summary>
    public const int MaxPeriodSeconds = 3600;

    /// <summary>A trim is skipped while the heaps hold less free memory than this (nothing worth a system call).</summary>
    public const long MinimumFreeBytes = 64L << 20;

    private static readonly Lock s_lock = new();
    private static Timer? s_timer;
    private static long s_trims;
    private static int s_suspended;

    /// <summary>How many trims released memory in this process so far.</summary>
    public static long Trims => Interlocked.Read(ref s_trims);

    /// <summary>
    /// The period <paramref name="value"/> asks for, in seconds: <see cref="DefaultPeriodSeconds"/> when unset or blank,
    /// 0 for off, else a whole number from 1 to <see cref="MaxPeriodSeconds"/>.
    /// </summary>
    /// <exception cref="EngineConfigurationException">Anything else; the message names <see cref="PeriodVariable"/> and the range.</exception>
    public static int ParsePeriod(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultPeriodSeconds;
        }
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds > MaxPeriodSeconds)
        {
            throw new EngineConfigurationException(
                PeriodVariable,
                string.Create(CultureInfo.InvariantCulture,
                    $"{PeriodVariable}='{value}' is not valid: use a whole number of seconds from 1 to {MaxPeriodSeconds}, 0 to never return freed heap memory to the kernel, or leave it unset for {DefaultPeriodSeconds}"));
        }
        return seconds;
    }

    /// <summary>
    /// Trims now if the heaps hold at least <see cref="MinimumFreeBytes"/> of free memory; true when memory was
    /// released. Safe from any thread (glibc locks each arena while trimming it).
    /// </summary>
    public static bool TrimIfWorthwhile()
    {
        if ((long)Libc.Info().FordBlks < MinimumFreeBytes || !Libc.Trim())
        {
            return false;
        }
        Interlocked.Increment(ref s_trims);
        return true;
    }

    /// <summary>Starts trimming every <paramref name="seconds"/> s (no-op for 0 or when already started).</summary>
    internal static void Start(int seconds)
    {
        if (seconds <= 0)
        {
            return;
        }
        lock (s_lock)
        {
            if (s_timer is not null)
            {
                return;
            }
            TimeSpan period = TimeSpan.FromSeconds(seconds);
            // A background timer: it never keeps the process alive, and its callback runs on the thread pool.
            s_timer = new Timer(_ => Tick(), null, period, period);
        }
    }

    /// <summary>
    /// Holds the periodic trims until the returned scope is disposed (a trim already running finishes first), for
    /// measurements that must not see one; <see cref="TrimIfWorthwhile"/> still trims when called.
    /// </summary>
    internal static IDisposable Suspend()
    {
        lock (s_lock)
        {
            s_suspended++;
        }
        return new Resumer();
    }

    private static void Tick()
    {
        lock (s_lock)
        {
            if (s_suspended == 0)
            {
                TrimIfWorthwhile();
            }
        }
    }

    private sealed class Resumer : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (s_lock)
                {
                    s_suspended--;
                }
            }
        }
    }
}
