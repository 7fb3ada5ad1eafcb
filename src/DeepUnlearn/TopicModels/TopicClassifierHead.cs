using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A linear head on topic features for a downstream classification task (the fine-tuning stage of
/// Wei et al. 2025): multinomial logistic regression on x = [φ; 1] (φ the topic features of
/// <see cref="TopicFeatures"/>, 1 the bias), trained by minimising the L2-regularised empirical risk
/// <code>
///   F(W) = (1/m) Σ_d CE(softmax(Wᵀx_d), y_d) + (λ/2) ‖W‖_F²
/// </code>
/// with Newton's method. The head keeps Σ_d ∇²CE_d(Ŵ), the statistic the Newton-step removal of its own
/// training documents needs (<see cref="DownstreamDocumentUnlearner"/>), and the bound R on ‖x‖ that
/// removal's constants use.
/// </summary>
public sealed class TopicClassifierHead
{
    internal TopicClassifierHead(double[,] weights, double lambda, int trainingCount, double[,] hessianSum, IReadOnlyList<string> classNames, IReadOnlyList<int> documentIds, double featureBound)
    {
        Weights = weights;
        Lambda = lambda;
        TrainingCount = trainingCount;
        HessianSum = hessianSum;
        ClassNames = classNames.ToArray();
        DocumentIds = documentIds.ToArray();
        FeatureBound = featureBound;
    }

    /// <summary>R: the bound on ‖[φ; 1]‖ over all documents that the removal constants use.</summary>
    public double FeatureBound { get; }

    /// <summary>W ((K+1)×C): row f holds the weights of feature f (the last row is the bias).</summary>
    public double[,] Weights { get; }

    /// <summary>λ of the L2 regulariser.</summary>
    public double Lambda { get; }

    /// <summary>m: the number of training examples.</summary>
    public int TrainingCount { get; }

    /// <summary>Σ_d ∇²CE_d at the trained weights (P×P, P = (K+1)·C, index f·C + c); private learner state.</summary>
    public double[,] HessianSum { get; }

    /// <summary>The class names; class c is <c>ClassNames[c]</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Ids of the training documents (ascending).</summary>
    public IReadOnlyList<int> DocumentIds { get; }

    /// <summary>The number of topic features K.</summary>
    public int TopicCount => Weights.GetLength(0) - 1;

    /// <summary>The number of classes C.</summary>
    public int ClassCount => Weights.GetLength(1);

    /// <summary>
    /// Trains a head on the topic features (<see cref="TopicFeatures"/>) of <paramref name="documents"/>
    /// under <paramref name="model"/>'s joint matrix, optionally warm-started from <paramref name="start"/>.
    /// </summary>
    public static TopicClassifierHead Train(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> documents, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, double lambda = 1e-2, TopicClassifierHead? start = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(documents);
        double[][] features = TopicFeatures.Compute(model.JointWordTopic, documents);
        return Train(features, labels, classNames, lambda, documents.Select(d => d.Id).ToArray(), TopicFeatures.Bound, start?.Weights);
    }

    /// <summary>Trains a head on feature vectors and class indices.</summary>
    /// <param name="topics">The K features of each training document.</param>
    /// <param name="labels">The class index of each document, in [0, C).</param>
    /// <param name="classNames">The C class names (C ≥ 2).</param>
    /// <param name="lambda">λ &gt; 0: the strong convexity the unlearning bounds need.</param>
    /// <param name="documentIds">The documents' ids (default 0..m−1).</param>
    /// <param name="featureBound">R ≥ ‖[φ; 1]‖ for every document the head may see; default: the largest over these documents.</param>
    /// <param name="start">Initial weights ((K+1)×C) for Newton's method (a warm start); default zero.</param>
    public static TopicClassifierHead Train(IReadOnlyList<double[]> topics, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, double lambda = 1e-2, IReadOnlyList<int>? documentIds = null, double? featureBound = null, double[,]? start = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (topics.Count == 0 || topics.Count != labels.Count)
        {
            throw new ArgumentException($"need one label per document and at least one document; got {topics.Count} documents and {labels.Count} labels", nameof(labels));
        }
        if (classNames.Count < 2)
        {
            throw new ArgumentException($"a classifier needs at least 2 classes, got {classNames.Count}", nameof(classNames));
        }
        if (!(lambda > 0) || double.IsInfinity(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the regularisation λ must be a finite number > 0");
        }
        int k = topics[0].Length;
        int c = classNames.Count;
        for (int d = 0; d < topics.Count; d++)
        {
            if (topics[d].Length != k)
            {
                throw new ArgumentException($"document {d} has {topics[d].Length} topic features, the first has {k}", nameof(topics));
            }
            if (labels[d] < 0 || labels[d] >= c)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[d], $"labels must be class indices in [0, {c - 1}]");
            }
        }
        double[][] x = topics.Select(Features).ToArray();
        var w = new double[k + 1, c];
        if (start is not null)
        {
            if (start.GetLength(0) != k + 1 || start.GetLength(1) != c)
            {
                throw new ArgumentException($"the start weights are {start.GetLength(0)}×{start.GetLength(1)}, the head needs {k + 1}×{c}", nameof(start));
            }
            w = (double[,])start.Clone();
        }
        double objective = Objective(w, x, labels, lambda);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            (double[] gradient, double[,] hessian) = GradientAndHessian(w, x, labels, lambda);
            double[] step = Solve(hessian, gradient);
            // Newton decrement ∇Fᵀ H⁻¹ ∇F: converged once it is at round-off level.
            double decrement = gradient.Zip(step, (g, d) => g * d).Sum();
            if (decrement < 1e-15)
            {
                break;
            }
            double t = 1;
            double[,] candidate = Add(w, step, -t);
            double value = Objective(candidate, x, labels, lambda);
            while (value > objective - (0.25 * t * decrement) && t > 1e-8)
            {
                t /= 2;
                candidate = Add(w, step, -t);
                value = Objective(candidate, x, labels, lambda);
            }
            if (value > objective)
            {
                // No decrease left at round-off level: Ŵ is the minimiser to working precision.
                break;
            }
            w = candidate;
            objective = value;
        }
        double[,] hessianSum = LossHessianSum(w, x);
        double bound = featureBound ?? x.Max(Norm);
        return new TopicClassifierHead(w, lambda, x.Length, hessianSum, classNames, documentIds ?? Enumerable.Range(0, x.Length).ToArray(), bound);
    }

    /// <summary>Class probabilities for topic proportions θ.</summary>
    public double[] Probabilities(double[] topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Length != TopicCount)
        {
            throw new ArgumentException($"the head takes {TopicCount} topic features, got {topics.Length}", nameof(topics));
        }
        return Softmax(Weights, Features(topics));
    }

    /// <summary>The most probable class index for θ.</summary>
    public int Predict(double[] topics)
    {
        double[] p = Probabilities(topics);
        int best = 0;
        for (int i = 1; i < p.Length; i++)
        {
            if (p[i] > p[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>Fraction of documents whose predicted class equals the label.</summary>
    public double Accuracy(IReadOnlyList<double[]> topics, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(labels);
        int correct = 0;
        for (int d = 0; d < topics.Count; d++)
        {
            correct += Predict(topics[d]) == labels[d] ? 1 : 0;
        }
        return topics.Count == 0 ? 0 : (double)correct / topics.Count;
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    internal static double[] Features(double[] topics)
    {
        var x = new double[topics.Length + 1];
        Array.Copy(topics, x, topics.Length);
        x[^1] = 1;
        return x;
    }

    internal static double[] Softmax(double[,] w, double[] x)
    {
        int f = w.GetLength(0);
        int c = w.GetLength(1);
        var z = new double[c];
        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < f; i++)
            {
                z[j] += w[i, j] * x[i];
            }
        }
        double max = z.Max();
        double sum = 0;
        for (int j = 0; j < c; j++)
        {
            z[j] = Math.Exp(z[j] - max);
            sum += z[j];
        }
        for (int j = 0; j < c; j++)
        {
            z[j] /= sum;
        }
        return z;
    }

    /// <summary>∇CE(W; x, y) flattened (index f·C + c): x (s − e_y)ᵀ.</summary>
    internal static double[] LossGradient(double[,] w, double[] x, int label)
    {
        int f = w.GetLength(0);
        int c = w.GetLength(1);
        double[] s = Softmax(w, x);
        s[label] -= 1;
        var g = new double[f * c];
        for (int i = 0; i < f; i++)
        {
            for (int j = 0; j < c; j++)
            {
                g[(i * c) + j] = x[i] * s[j];
            }
        }
        return g;
    }

    /// <summary>Adds ∇²CE(W; x) = (diag s − s sᵀ) ⊗ x xᵀ (index f·C + c) to <paramref name="into"/> times <paramref name="scale"/>.</summary>
    internal static void AddLossHessian(double[,] w, double[] x, double[,] into, double scale)
    {
        int f = w.GetLength(0);
        int c = w.GetLength(1);
        double[] s = Softmax(w, x);
        for (int a = 0; a < f; a++)
        {
            for (int j = 0; j < c; j++)
            {
                int row = (a * c) + j;
                for (int b = 0; b < f; b++)
                {
                    double xx = x[a] * x[b] * scale;
                    for (int l = 0; l < c; l++)
                    {
                        double h = (j == l ? s[j] : 0) - (s[j] * s[l]);
                        into[row, (b * c) + l] += h * xx;
                    }
                }
            }
        }
    }

    internal static double[] Solve(double[,] matrix, double[] rhs)
    {
        using var scope = torch.NewDisposeScope();
        Tensor a = DenseMatrix.ToTensor(matrix);
        Tensor b = torch.tensor(rhs, [rhs.Length, 1], ScalarType.Float64);
        return DenseMatrix.ToArray(torch.linalg.solve(a, b));
    }

    internal static double[,] Add(double[,] w, double[] flat, double scale)
    {
        int f = w.GetLength(0);
        int c = w.GetLength(1);
        var result = new double[f, c];
        for (int i = 0; i < f; i++)
        {
            for (int j = 0; j < c; j++)
            {
                result[i, j] = w[i, j] + (scale * flat[(i * c) + j]);
            }
        }
        return result;
    }

    private static double Objective(double[,] w, double[][] x, IReadOnlyList<int> labels, double lambda)
    {
        double loss = 0;
        for (int d = 0; d < x.Length; d++)
        {
            loss -= Math.Log(Math.Max(Softmax(w, x[d])[labels[d]], 1e-300));
        }
        double norm = 0;
        foreach (double v in w)
        {
            norm += v * v;
        }
        return (loss / x.Length) + (lambda / 2 * norm);
    }

    private static (double[] Gradient, double[,] Hessian) GradientAndHessian(double[,] w, double[][] x, IReadOnlyList<int> labels, double lambda)
    {
        int p = w.Length;
        int c = w.GetLength(1);
        var gradient = new double[p];
        var hessian = new double[p, p];
        for (int d = 0; d < x.Length; d++)
        {
            double[] g = LossGradient(w, x[d], labels[d]);
            for (int i = 0; i < p; i++)
            {
                gradient[i] += g[i] / x.Length;
            }
            AddLossHessian(w, x[d], hessian, 1.0 / x.Length);
        }
        for (int i = 0; i < p; i++)
        {
            gradient[i] += lambda * w[i / c, i % c];
            hessian[i, i] += lambda;
        }
        return (gradient, hessian);
    }

    private static double[,] LossHessianSum(double[,] w, double[][] x)
    {
        var sum = new double[w.Length, w.Length];
        foreach (double[] xd in x)
        {
            AddLossHessian(w, xd, sum, 1);
        }
        return sum;
    }
}
