using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

/// <summary>Certified (noisy) U_base releases, on a corpus where the bound covers a few deletions.</summary>
[Collection(LargeSyntheticTopicCollection.Name)]
public sealed class TopicModelUnlearnerNoiseTests
{
    private readonly LargeSyntheticTopicFixture _fixture;
    private readonly ITestOutputHelper _output;

    public TopicModelUnlearnerNoiseTests(LargeSyntheticTopicFixture fixture, ITestOutputHelper output)
    {
        TorchRuntime.EnsureInitialized();
        _fixture = fixture;
        _output = output;
    }

    private BagOfWordsDocument[] Forget => [.. new[] { 11, 222, 3333 }.Select(i => _fixture.Synthetic.Corpus.Documents[i])];

    [Fact]
    public void Unlearn_DefaultOptions_ProvenRegimeAndGuaranteeRelativeToSameAnchorRetrain()
    {
        var options = new TopicUnlearningOptions();
        Assert.InRange(options.Epsilon, double.Epsilon, 1 - 1e-9);
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, Forget, options with { Seed = 9 });
        using AnchorTopicModel unlearned = result.Model;
        _output.WriteLine(result.Guarantee);
        Assert.Equal(PrivacyRegime.Proven, result.Regime);
        Assert.True(result.NoiseAdded);
        Assert.Contains("relative to a retrain with the same anchor words", result.Guarantee, StringComparison.Ordinal);
        Assert.Contains("calibration is proven", result.Guarantee, StringComparison.Ordinal);
        Assert.NotNull(result.AnchorsUnchanged);
        Assert.Equal(
            result.AnchorsUnchanged == true,
            result.Guarantee.Contains("also holds relative to a full retrain", StringComparison.Ordinal));
        // The noise drawn is σ per entry over all V·K entries of Ã.
        double perEntry = result.NoiseNorm / Math.Sqrt(_fixture.Model.VocabularySize * _fixture.Model.TopicCount);
        Assert.InRange(perEntry / result.NoiseStd, 0.8, 1.2);
        Assert.Equal(result.Sensitivity, TopicSensitivity.Compute(_fixture.Constants, 3));
    }

    [Fact]
    public void Unlearn_EpsilonOutsideProvenRange_RefusedUnlessAllowed_ThenReportedAsNotProven()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(_fixture.Model, Forget, new TopicUnlearningOptions { Epsilon = 2 }));
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, Forget, new TopicUnlearningOptions { Epsilon = 2, AllowEpsilonOutsideProvenRange = true });
        using AnchorTopicModel unlearned = result.Model;
        Assert.Equal(PrivacyRegime.OutsideProvenRange, result.Regime);
        Assert.Contains("the guarantee is not proven", result.Guarantee, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_LargeEpsilon_NoiseVanishesTowardTheNoiselessUpdate()
    {
        var noiseless = TopicModelUnlearner.Unlearn(_fixture.Model, Forget, new TopicUnlearningOptions { AddNoise = false });
        using AnchorTopicModel reference = noiseless.Model;
        double previous = double.PositiveInfinity;
        foreach (double epsilon in new[] { 1e3, 1e6, 1e9, 1e12 })
        {
            var result = TopicModelUnlearner.Unlearn(_fixture.Model, Forget, new TopicUnlearningOptions { Epsilon = epsilon, AllowEpsilonOutsideProvenRange = true, Seed = 1 });
            using AnchorTopicModel unlearned = result.Model;
            double distance = DenseMatrix.FrobeniusDistance(unlearned.JointWordTopic, reference.JointWordTopic);
            _output.WriteLine($"ε = {epsilon:E0}: σ = {result.NoiseStd:E3}, ‖Ã_noisy − Ã_noiseless‖_F = {distance:E3}");
            Assert.True(distance <= previous);
            previous = distance;
        }
        Assert.True(previous < 1e-9, $"noise did not vanish: {previous}");
    }

    [Fact]
    public void TrainUnlearnDispose_DisposesEveryTensorDeterministically()
    {
        // What libtorch holds for topic models is owned by AnchorTopicModel (its statistics); every temporary of
        // training, the three unlearners and the noise draws is disposed by its scope, so once the models are
        // disposed the live count is back where it was, without waiting for a finalizer (Count, not Settled).
        long before = LiveTensors.Settled();
        using (AnchorTopicModel model = AnchorTopicModel.Train(_fixture.Synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 3, AnchorMinDocuments = 100 }))
        {
            var result = TopicModelUnlearner.Unlearn(model, Forget, new TopicUnlearningOptions { Seed = 9 });
            result.Model.Dispose();
            Assert.True(result.NoiseAdded);
        }
        var head = PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments, _fixture.TaskLabels, Forget, new TopicUnlearningOptions { Seed = 9 });
        Assert.True(head.NoiseAdded);
        Assert.Equal(before, LiveTensors.Count);
    }
}
