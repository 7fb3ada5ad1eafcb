using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Tests;

/// <summary>
/// Initialises the engine once, before any test touches TorchSharp, as the CLI does at start-up: the OpenMP wait policy
/// and the malloc tuning only take effect before libtorch is loaded, so without this the first test to call
/// <c>torch.*</c> directly would decide them and the runtime tests would depend on the order tests run in.
/// </summary>
internal static class TestRuntime
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: its process must start the engine the way the application does.")]
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}
