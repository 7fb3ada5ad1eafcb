using Xunit;

namespace DeepUnlearn.Tests.Integration;

/// <summary>The test classes that share one <see cref="FashionMnistOriginal"/> (trained once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class FashionMnistCollection : ICollectionFixture<FashionMnistOriginal>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fashion-MNIST original";
}
