using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class TopicFeaturesTests
{
    // Ã (4 words × 2 topics), rows summing to p = (0.4, 0.3, 0.2, 0.1).
    private static readonly double[,] s_joint = { { 0.3, 0.1 }, { 0.15, 0.15 }, { 0.0, 0.2 }, { 0.05, 0.05 } };

    public TopicFeaturesTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Compute_HandExample_IsTheMassWeightedTopicPosterior()
    {
        var doc = BagOfWordsDocument.FromWordIds(0, [0, 0, 2, 3]);
        double[] phi = TopicFeatures.Compute(s_joint, [doc])[0];
        // x̄ = (1/2, 0, 1/4, 1/4): Ãᵀx̄ = (0.15 + 0 + 0.0125, 0.05 + 0.05 + 0.0125) = (0.1625, 0.1125), sum 0.275.
        Assert.Equal(0.1625 / 0.275, phi[0], 12);
        Assert.Equal(0.1125 / 0.275, phi[1], 12);
        Assert.Equal(0.275, TopicFeatures.Normalizer(doc, TopicFeatures.RowSums(s_joint)), 12);
    }

    [Fact]
    public void Compute_AnyNonNegativeJoint_FeaturesOnTheSimplex()
    {
        var random = new Random(2);
        var joint = new double[30, 4];
        for (int i = 0; i < 30; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                joint[i, j] = random.NextDouble() < 0.3 ? 0 : random.NextDouble();
            }
        }
        var docs = Enumerable.Range(0, 50).Select(d => BagOfWordsDocument.FromWordIds(d, Enumerable.Range(0, 1 + random.Next(20)).Select(_ => random.Next(30)))).ToArray();
        foreach (double[] phi in TopicFeatures.Compute(joint, docs))
        {
            Assert.Equal(1.0, phi.Sum(), 12);
            Assert.All(phi, x => Assert.True(x >= 0));
            Assert.True(Math.Sqrt(phi.Sum(x => x * x) + 1) <= TopicFeatures.Bound + 1e-12);
        }
    }

    [Fact]
    public void Compose_FineTunedLogits_EqualTheHeadOnTheFeatures()
    {
        var docs = new[]
        {
            BagOfWordsDocument.FromWordIds(0, [0, 0, 1]),
            BagOfWordsDocument.FromWordIds(1, [2, 2, 3]),
            BagOfWordsDocument.FromWordIds(2, [0, 2]),
            BagOfWordsDocument.FromWordIds(3, [1, 3, 3]),
        };
        double[][] features = TopicFeatures.Compute(s_joint, docs);
        var head = TopicClassifierHead.Train(features, [0, 1, 1, 0], ["a", "b"], 0.1);
        var fineTuned = FineTunedTopicClassifier.Compose(s_joint, head);
        for (int d = 0; d < docs.Length; d++)
        {
            double[] expected = head.Probabilities(features[d]);
            double[] z = fineTuned.Logits(docs[d]);
            double max = z.Max();
            double[] p = z.Select(x => Math.Exp(x - max)).ToArray();
            double total = p.Sum();
            for (int c = 0; c < 2; c++)
            {
                Assert.Equal(expected[c], p[c] / total, 12);
            }
            Assert.Equal(head.Predict(features[d]), fineTuned.Predict(docs[d]));
        }
    }
}
