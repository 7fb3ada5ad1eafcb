using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

/// <summary>
/// Loads libdu_native once, with an error that says what to do when it or libtorch is missing, and
/// applies the process-wide defaults (intra-op threads = the machine's cores, or DU_NUM_THREADS).
/// </summary>
internal static class NativeLibraryLoader
{
    private static readonly object s_gate = new();
    private static bool s_initialized;

    /// <summary>Runs once before the first native call (from NativeMethods' static constructor).</summary>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            if (s_initialized)
            {
                return;
            }
            s_initialized = true;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }
    }

    /// <summary>The intra-op thread count applied at start-up.</summary>
    public static int DefaultThreadCount()
    {
        string? text = Environment.GetEnvironmentVariable("DU_NUM_THREADS");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : Environment.ProcessorCount;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Lib)
        {
            return IntPtr.Zero;
        }
        string fileName = OperatingSystem.IsWindows() ? "du_native.dll"
            : OperatingSystem.IsMacOS() ? "libdu_native.dylib" : "libdu_native.so";
        string besideAssembly = Path.Combine(AppContext.BaseDirectory, fileName);
        string path = File.Exists(besideAssembly) ? besideAssembly : fileName;
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"DeepUnlearn could not load its libtorch shim '{fileName}' ({e.Message}). " +
                "Build it with 'dotnet build' (it lands next to the managed assemblies), and make sure libtorch " +
                "is installed: 'sudo apt-get install libtorch-dev' on Debian/Ubuntu, or a CUDA libtorch " +
                "given to the build with -p:TorchDir=<libtorch>/share/cmake/Torch.",
                e);
        }
    }
}
