using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace DeepUnlearn.Evaluation.Svm;

/// <summary>
/// P/Invoke declarations of Debian's libsvm (package libsvm3, <c>libsvm.so.3</c>; header libsvm/svm.h of libsvm-dev),
/// 1:1. The structs it reads from us (svm_node, svm_problem, svm_parameter) mirror upstream libsvm 3.x's, the same in
/// 3.18 and in Debian 12's 3.24; the model stays opaque, read through functions only. <see cref="EnsureLoaded"/> checks
/// the loaded library's <c>libsvm_version</c> before the first call.
/// </summary>
internal static unsafe partial class LibSvmNative
{
    /// <summary>The runtime library's soname (Debian/Ubuntu package libsvm3).</summary>
    public const string Library = "libsvm.so.3";

    public const int CSvc = 0;  // svm_type C_SVC
    public const int Rbf = 2;   // kernel_type RBF

    private static readonly Lock s_gate = new();
    private static int s_version;

    /// <summary>struct svm_node: one (feature index, value) entry; index -1 ends a row.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SvmNode
    {
        public int Index;
        public double Value;
    }

    /// <summary>struct svm_problem.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SvmProblem
    {
        public int L;
        public double* Y;
        public SvmNode** X;
    }

    /// <summary>struct svm_parameter.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SvmParameter
    {
        public int SvmType;
        public int KernelType;
        public int Degree;
        public double Gamma;
        public double Coef0;
        public double CacheSize;
        public double Eps;
        public double C;
        public int NrWeight;
        public int* WeightLabel;
        public double* Weight;
        public double Nu;
        public double P;
        public int Shrinking;
        public int Probability;
    }

    /// <summary>libsvm's version number, e.g. 324 for 3.24.</summary>
    public static int Version => EnsureLoaded();

    [LibraryImport(Library, EntryPoint = "svm_train")]
    public static partial nint Train(SvmProblem* problem, SvmParameter* parameter);

    [LibraryImport(Library, EntryPoint = "svm_check_parameter")]
    public static partial byte* CheckParameter(SvmProblem* problem, SvmParameter* parameter);

    [LibraryImport(Library, EntryPoint = "svm_predict_values")]
    public static partial double PredictValues(nint model, SvmNode* x, double* decisionValues);

    [LibraryImport(Library, EntryPoint = "svm_get_nr_class")]
    public static partial int GetClassCount(nint model);

    [LibraryImport(Library, EntryPoint = "svm_get_labels")]
    public static partial void GetLabels(nint model, int* labels);

    [LibraryImport(Library, EntryPoint = "svm_free_and_destroy_model")]
    public static partial void FreeAndDestroyModel(nint* model);

    [LibraryImport(Library, EntryPoint = "svm_set_print_string_function")]
    public static partial void SetPrintStringFunction(delegate* unmanaged[Cdecl]<byte*, void> print);

    /// <summary>
    /// Loads libsvm once: checks that it is there and is a 3.x release (the struct layouts above), and silences its
    /// training log (it prints to stdout by default). Returns <c>libsvm_version</c>.
    /// </summary>
    /// <exception cref="DllNotFoundException">libsvm.so.3 is not installed; the message says which package brings it.</exception>
    /// <exception cref="NotSupportedException">The library is not libsvm 3.x.</exception>
    public static int EnsureLoaded()
    {
        if (Volatile.Read(ref s_version) != 0)
        {
            return s_version;
        }
        lock (s_gate)
        {
            if (s_version != 0)
            {
                return s_version;
            }
            if (!NativeLibrary.TryLoad(Library, typeof(LibSvmNative).Assembly, null, out nint handle))
            {
                throw new DllNotFoundException($"libsvm ({Library}) is not installed; the membership-inference SVC needs it. " +
                    "Debian/Ubuntu: sudo apt-get install libsvm3 (or run ./build.sh deps)");
            }
            int version = NativeLibrary.TryGetExport(handle, "libsvm_version", out nint address) ? *(int*)address : 0;
            if (version / 100 != 3)
            {
                throw new NotSupportedException($"{Library} reports libsvm_version {version}; DeepUnlearn's interop mirrors libsvm 3.x's structs");
            }
            // svm_set_print_string_function sets a process-wide pointer: set it once, to a function that lives forever.
            SetPrintStringFunction(&Silent);
            Volatile.Write(ref s_version, version);
            return version;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Silent(byte* text)
    {
    }
}
