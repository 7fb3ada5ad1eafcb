using Xunit;

// The tests call native libraries (du_codecs, libsvm); run them serially, as one native collection, which also keeps
// them to one core on a shared machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
