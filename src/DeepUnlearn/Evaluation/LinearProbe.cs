using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// A binary logistic-regression probe on frozen features, as scikit-learn's <c>LogisticRegression()</c> defaults fit it
/// (L2 penalty, C = 1, unpenalised intercept): minimise ½‖w‖² + C Σᵢ log(1 + exp(−yᵢ(w·xᵢ + b))) over the training
/// rows, on features standardised with the training rows' mean and standard deviation. Solved to a stationary point
/// by Newton's method (the objective is strictly convex in w), in float64 on the CPU, so the result is deterministic.
/// </summary>
public static class LinearProbe
{
    /// <summary>scikit-learn's default inverse regularisation strength.</summary>
    public const double DefaultC = 1.0;

    /// <summary>
    /// Fits the probe on <paramref name="trainRows"/> and measures it on <paramref name="evalRows"/> of a row-major
    /// [n, <paramref name="dim"/>] feature matrix; <paramref name="positive"/> marks the class to decode.
    /// </summary>
    public static ProbeResult Fit(float[] features, int dim, bool[] positive, int[] trainRows, int[] evalRows, double c = DefaultC)
    {
        var (weights, bias, mean, scale) = Train(features, dim, positive, trainRows, c);
        double[] scores = Scores(features, dim, evalRows, weights, bias, mean, scale);
        bool[] truth = evalRows.Select(r => positive[r]).ToArray();
        int posCount = truth.Count(t => t);
        int negCount = truth.Length - posCount;
        // Balanced accuracy: the mean of the per-class hit rates, so an unbalanced held-out set cannot flatter it.
        double posHits = 0;
        double negHits = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i] && scores[i] > 0)
            {
                posHits++;
            }
            else if (!truth[i] && scores[i] <= 0)
            {
                negHits++;
            }
        }
        double accuracy = 50.0 * ((posHits / posCount) + (negHits / negCount));
        return new ProbeResult(accuracy, ClassificationMetrics.RocAuc(scores, truth), trainRows.Length, evalRows.Length);
    }

    /// <summary>
    /// The fitted probe: weights and intercept in standardised coordinates, and the standardisation (x − mean) / scale.
    /// Exposed for tests that check the stationary-point equations.
    /// </summary>
    internal static (double[] Weights, double Bias, double[] Mean, double[] Scale) Train(float[] features, int dim, bool[] positive, int[] trainRows, double c = DefaultC)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(trainRows);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c);
        if (features.Length % dim != 0 || features.Length / dim != positive.Length)
        {
            throw new ArgumentException($"features hold {features.Length} values, not {positive.Length} rows of {dim}");
        }
        int trainPositives = trainRows.Count(r => positive[r]);
        if (trainPositives == 0 || trainPositives == trainRows.Length)
        {
            throw new ArgumentException($"the probe needs both classes among its training rows; it has {trainPositives} positives of {trainRows.Length}");
        }
        using var scope = torch.NewDisposeScope();
        Tensor all = torch.tensor(features, [positive.Length, dim]).to(ScalarType.Float64);
        Tensor x = all.index_select(0, torch.tensor(trainRows.Select(r => (long)r).ToArray()));
        Tensor mean = x.mean([0L]);
        // Constant features get scale 1 (sklearn's StandardScaler does the same), so they stay 0 and do not divide by 0.
        Tensor std = x.std(0L, unbiased: false);
        Tensor scale = torch.where(std > 1e-12, std, torch.ones_like(std));
        Tensor z = torch.cat([(x - mean) / scale, torch.ones(x.shape[0], 1, dtype: ScalarType.Float64)], 1);
        Tensor y = torch.tensor(trainRows.Select(r => positive[r] ? 1.0 : 0.0).ToArray());
        // The penalty ½‖w‖² on the weights only (sklearn does not penalise the intercept): diag(1/C, …, 1/C, 0),
        // objective scaled by 1/C.
        Tensor penalty = torch.cat([torch.full(dim, 1.0 / c, dtype: ScalarType.Float64), torch.zeros(1, dtype: ScalarType.Float64)]);
        Tensor theta = torch.zeros(dim + 1, dtype: ScalarType.Float64);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            using var step = torch.NewDisposeScope();
            Tensor p = torch.sigmoid(z.mv(theta));
            Tensor gradient = z.t().mv(p - y) + (penalty * theta);
            Tensor hessian = z.t().mm(z * (p * (1 - p)).unsqueeze(1)) + torch.diag(penalty);
            // A tiny ridge keeps the intercept's row solvable when every sample is already fitted with p ∈ {0, 1}.
            hessian += torch.eye(dim + 1, dtype: ScalarType.Float64) * 1e-10;
            Tensor delta = torch.linalg.solve(hessian, gradient);
            // Backtracking (Armijo) keeps every Newton step a descent step on this convex objective.
            double current = Objective(z, y, theta, penalty);
            double slope = gradient.dot(delta).ToDouble();
            double length = 1;
            Tensor next = theta - delta;
            while (length > 1e-8 && Objective(z, y, next, penalty) > current - (1e-4 * length * slope))
            {
                length /= 2;
                next = theta - (delta * length);
            }
            theta = next.MoveToOuterDisposeScope();
            if (delta.abs().max().ToDouble() * length < 1e-10 * (1 + theta.abs().max().ToDouble()))
            {
                break;
            }
        }
        double[] t = theta.data<double>().ToArray();
        return (t[..dim], t[dim], mean.data<double>().ToArray(), scale.data<double>().ToArray());
    }

    /// <summary>(1/C)·½‖w‖² + Σ softplus(s) − y·s: the sklearn objective divided by C.</summary>
    private static double Objective(Tensor z, Tensor y, Tensor theta, Tensor penalty)
    {
        using var scope = torch.NewDisposeScope();
        Tensor s = z.mv(theta);
        return ((torch.nn.functional.softplus(s) - (y * s)).sum() + (0.5 * (penalty * theta * theta).sum())).ToDouble();
    }

    private static double[] Scores(float[] features, int dim, int[] rows, double[] weights, double bias, double[] mean, double[] scale)
    {
        var scores = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            long offset = (long)rows[i] * dim;
            double s = bias;
            for (int j = 0; j < dim; j++)
            {
                s += weights[j] * ((features[offset + j] - mean[j]) / scale[j]);
            }
            scores[i] = s;
        }
        return scores;
    }
}
