using Xunit;

// Engine tests touch process-wide libtorch state (thread count, grad mode, the tensor counters, malloc settings):
// run them serially, as tests/DeepUnlearn.Tests does.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
