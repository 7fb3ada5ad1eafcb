using Xunit;

// Every test here touches libtorch (TorchSharp) or the native codecs; run them serially (one native collection), so
// thread counts, grad mode and live-tensor counts are not shared between concurrent tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
