using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>The test classes that share one <see cref="TrainedIdxRun"/> (trained once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class TrainedIdxCollection : ICollectionFixture<TrainedIdxRun>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "trained IDX run";
}
