using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>
/// An explicit random generator (a libtorch CPU generator). Random operations that take one draw on the
/// CPU and move the result, so a seed gives the same numbers on every device.
/// </summary>
public sealed class Generator : IDisposable
{
    private readonly GeneratorHandle _handle;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_generator_new(seed, out GeneratorHandle handle));
        _handle = handle;
    }

    /// <summary>Re-seeds the generator.</summary>
    public void ManualSeed(ulong seed) => NativeStatus.ThrowIfFailed(NativeMethods.du_generator_set_seed(_handle, seed));

    /// <summary>The full generator state, as a uint8 tensor (for checkpoints).</summary>
    public Tensor GetState() => GetState(this);

    /// <summary>Restores a state produced by <see cref="GetState()"/>.</summary>
    public void SetState(Tensor state) => SetState(this, state);

    /// <summary>The state of <paramref name="generator"/>, or of libtorch's default CPU generator when null.</summary>
    public static Tensor GetState(Generator? generator)
    {
        int status = NativeMethods.du_generator_get_state(Pointer(generator), out TensorHandle state);
        GC.KeepAlive(generator);
        return Tensor.Wrap(status, state);
    }

    /// <summary>Restores the state of <paramref name="generator"/>, or of the default CPU generator when null.</summary>
    public static void SetState(Generator? generator, Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        NativeStatus.ThrowIfFailed(NativeMethods.du_generator_set_state(Pointer(generator), state.Handle));
        GC.KeepAlive(generator);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    internal static IntPtr Pointer(Generator? generator)
    {
        if (generator is null)
        {
            return IntPtr.Zero;
        }
        ObjectDisposedException.ThrowIf(generator._handle.IsClosed, generator);
        return generator._handle.DangerousGetHandle();
    }
}
