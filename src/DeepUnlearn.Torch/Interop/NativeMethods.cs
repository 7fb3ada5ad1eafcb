namespace DeepUnlearn.Torch.Interop;

/// <summary>
/// The P/Invoke surface of libdu_native, one partial file per native source file. Only code in
/// Interop/ and the binding's own types call these; everything else goes through Tensor and friends.
/// </summary>
internal static partial class NativeMethods
{
    static NativeMethods()
    {
        NativeLibraryLoader.EnsureInitialized();
        NativeStatus.ThrowIfFailed(du_set_num_threads(NativeLibraryLoader.DefaultThreadCount()));
    }
}
