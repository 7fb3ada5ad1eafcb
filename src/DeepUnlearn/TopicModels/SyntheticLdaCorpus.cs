using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A seeded synthetic corpus from the LDA generative model with separable topics: topic k puts
/// <see cref="SyntheticLdaOptions.AnchorMass"/> of its probability on its own anchor words (which have
/// zero probability in every other topic) and the rest on the shared words by a sparse Dirichlet draw;
/// each document draws θ ~ Dirichlet(α) and then each token's topic from θ and word from that topic.
/// Words are named <c>w000</c>, <c>w001</c>, ... so that the vocabulary's ordinal order is the id order.
/// </summary>
public sealed class SyntheticLdaCorpus
{
    private SyntheticLdaCorpus(BagOfWordsCorpus corpus, double[,] topicWord, double[][] documentTopics, int[][] anchorWords)
    {
        Corpus = corpus;
        TopicWord = topicWord;
        DocumentTopics = documentTopics;
        AnchorWords = anchorWords;
    }

    /// <summary>The documents as bag-of-words over the full vocabulary.</summary>
    public BagOfWordsCorpus Corpus { get; }

    /// <summary>The true topics A (V×K), columns sum to 1.</summary>
    public double[,] TopicWord { get; }

    /// <summary>The true θ of each document.</summary>
    public IReadOnlyList<double[]> DocumentTopics { get; }

    /// <summary>The anchor word ids of each topic.</summary>
    public IReadOnlyList<int[]> AnchorWords { get; }

    /// <summary>Generates a corpus.</summary>
    public static SyntheticLdaCorpus Generate(SyntheticLdaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        int k = options.TopicCount;
        int v = options.VocabularySize;
        int anchorCount = k * options.AnchorsPerTopic;
        var topicWord = new double[v, k];
        var anchors = new int[k][];
        for (int t = 0; t < k; t++)
        {
            anchors[t] = Enumerable.Range(t * options.AnchorsPerTopic, options.AnchorsPerTopic).ToArray();
            foreach (int a in anchors[t])
            {
                topicWord[a, t] = options.AnchorMass / options.AnchorsPerTopic;
            }
            double[] shared = Dirichlet(random, v - anchorCount, options.TopicConcentration);
            for (int i = 0; i < shared.Length; i++)
            {
                topicWord[anchorCount + i, t] = (1 - options.AnchorMass) * shared[i];
            }
        }
        var cumulative = new double[k][];
        for (int t = 0; t < k; t++)
        {
            cumulative[t] = new double[v];
            double s = 0;
            for (int i = 0; i < v; i++)
            {
                s += topicWord[i, t];
                cumulative[t][i] = s;
            }
        }
        int width = (v - 1).ToString(CultureInfo.InvariantCulture).Length;
        string[] words = Enumerable.Range(0, v).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')).ToArray();
        var theta = new double[options.DocumentCount][];
        var raw = new List<int>[options.DocumentCount];
        var frequency = new int[v];
        for (int d = 0; d < options.DocumentCount; d++)
        {
            theta[d] = Dirichlet(random, k, options.DocumentConcentration);
            double[] thetaCumulative = CumulativeSum(theta[d]);
            int length = options.PoissonLengths ? Math.Max(2, Poisson(random, options.DocumentLength)) : options.DocumentLength;
            raw[d] = new List<int>(length);
            for (int n = 0; n < length; n++)
            {
                int topic = Draw(random, thetaCumulative);
                raw[d].Add(Draw(random, cumulative[topic]));
            }
            foreach (int w in raw[d].Distinct())
            {
                frequency[w]++;
            }
        }
        var vocabulary = new Vocabulary(words, frequency);
        BagOfWordsDocument[] documents = raw.Select((tokens, d) => BagOfWordsDocument.FromWordIds(d, tokens)).ToArray();
        return new SyntheticLdaCorpus(new BagOfWordsCorpus(vocabulary, documents), topicWord, theta, anchors);
    }

    /// <summary>The documents as text, one line each (tokens in word-id order), readable by <see cref="TextCorpus.Load"/>.</summary>
    public IEnumerable<string> ToLines()
    {
        foreach (BagOfWordsDocument d in Corpus.Documents)
        {
            yield return string.Join(' ', d.WordIds.SelectMany((w, i) => Enumerable.Repeat(Corpus.Vocabulary.Words[w], d.Counts[i])));
        }
    }

    private static int Draw(Random random, double[] cumulative)
    {
        double u = random.NextDouble() * cumulative[^1];
        int index = Array.BinarySearch(cumulative, u);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    private static double[] CumulativeSum(double[] p)
    {
        var c = new double[p.Length];
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            s += p[i];
            c[i] = s;
        }
        return c;
    }

    private static double[] Dirichlet(Random random, int size, double concentration)
    {
        var x = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            x[i] = Gamma(random, concentration);
            sum += x[i];
        }
        if (sum <= 0)
        {
            x[random.Next(size)] = sum = 1;
        }
        for (int i = 0; i < size; i++)
        {
            x[i] /= sum;
        }
        return x;
    }

    // Marsaglia and Tsang (2000); shape < 1 by the boost Gamma(a) = Gamma(a + 1) · U^(1/a).
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }
        double d = shape - (1.0 / 3);
        double c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z;
            double v;
            do
            {
                z = Normal(random);
                v = 1 + (c * z);
            }
            while (v <= 0);
            v = v * v * v;
            double u = random.NextDouble();
            if (Math.Log(u) < (0.5 * z * z) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int Poisson(Random random, double mean)
    {
        if (mean > 500)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal(random))));
        }
        double limit = Math.Exp(-mean);
        int k = 0;
        double p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }
        return k;
    }
}
