using System;
using DeepUnlearn.Engine;
using TorchSharp;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// One libtorch intra-op thread for the scope of a test (restored after), so reductions run in one order and seeded
/// results are bit-reproducible.
/// </summary>
internal sealed class SingleThread : IDisposable
{
    private readonly int _threads;

    public SingleThread()
    {
        TorchRuntime.EnsureInitialized();
        _threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(_threads);
}
