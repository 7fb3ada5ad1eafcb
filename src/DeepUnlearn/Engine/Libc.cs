using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Engine;

/// <summary>
/// The C library calls <see cref="TorchRuntime"/> needs: glibc's malloc tuning (<c>mallopt</c>, <c>mallinfo2</c>) and
/// <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native code's
/// <c>getenv</c> on Unix, and libgomp reads its settings from there when libtorch loads). libtorch allocates
/// its large CPU buffers with malloc; glibc serves blocks above its mmap threshold with fresh mmap/munmap calls and
/// returns freed heap tops to the kernel above its trim threshold, so with the defaults every training step maps and
/// unmaps its activations and pays the page faults again (issue 12 measured 605 s of kernel time against 2,453 s of
/// user time in one CIFAR-10 compare).
/// </summary>
internal static partial class Libc
{
    /// <summary>mallopt parameter M_TRIM_THRESHOLD (malloc.h).</summary>
    public const int TrimThreshold = -1;

    /// <summary>mallopt parameter M_MMAP_THRESHOLD (malloc.h).</summary>
    public const int MmapThreshold = -3;

    private const string Library = "libc.so.6";

    /// <summary>Whether this process runs on glibc (the only C library these calls exist in).</summary>
    public static bool IsAvailable
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }
            try
            {
                _ = Info();
                return true;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Sets one malloc parameter; false when glibc rejects the value.</summary>
    public static bool SetOption(int parameter, int value) => mallopt(parameter, value) == 1;

    /// <summary>
    /// Returns the free pages of every malloc arena to the kernel (<c>malloc_trim(0)</c>: the heap tops, and since glibc
    /// 2.8 whole free pages inside the heaps too); true when any memory was released.
    /// </summary>
    public static bool Trim() => malloc_trim(0) == 1;

    /// <summary>glibc's allocator statistics (mallinfo2, glibc 2.33 and later).</summary>
    public static MallInfo2 Info() => mallinfo2();

    /// <summary>Sets <paramref name="name"/> in the process environment native code sees, unless it is already set.</summary>
    public static bool SetEnvironmentIfUnset(string name, string value) => setenv(name, value, 0) == 0;

    /// <summary>Whether a shared library whose file name contains <paramref name="fileName"/> is mapped into this process.</summary>
    public static bool IsLoaded(string fileName)
    {
        foreach (string line in System.IO.File.ReadLines("/proc/self/maps"))
        {
            if (line.Contains(fileName, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    [LibraryImport(Library, EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);

    [LibraryImport(Library, EntryPoint = "mallinfo2")]
    private static partial MallInfo2 mallinfo2();

    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    /// <summary>struct mallinfo2 (malloc.h): every field a size_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct MallInfo2
    {
        /// <summary>Non-mmapped space allocated (bytes).</summary>
        public readonly nuint Arena;

        /// <summary>Number of free chunks.</summary>
        public readonly nuint OrdBlks;

        /// <summary>Number of free fastbin blocks.</summary>
        public readonly nuint SmBlks;

        /// <summary>Number of mmapped regions.</summary>
        public readonly nuint HBlks;

        /// <summary>Space allocated in mmapped regions (bytes).</summary>
        public readonly nuint HBlkHd;

        /// <summary>Unused.</summary>
        public readonly nuint UsmBlks;

        /// <summary>Space in freed fastbin blocks (bytes).</summary>
        public readonly nuint FsmBlks;

        /// <summary>Total allocated space (bytes).</summary>
        public readonly nuint UordBlks;

        /// <summary>Total free space (bytes).</summary>
        public readonly nuint FordBlks;

        /// <summary>Top-most, releasable space (bytes).</summary>
        public readonly nuint KeepCost;
    }
}
