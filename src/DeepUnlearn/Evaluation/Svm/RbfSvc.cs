using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Evaluation.Svm;

/// <summary>
/// A binary C-SVC with an RBF kernel exp(−γ‖x − x′‖²), trained and applied by libsvm itself (the library inside
/// sklearn.svm.SVC), so membership-inference numbers are comparable with the SalUn / Unlearn-Sparse Python code. Other
/// settings are sklearn's SVC defaults: tolerance 1e-3, shrinking on, 200 MB kernel cache, no class weights.
/// Thread-safe (each call trains its own model).
/// </summary>
public static class RbfSvc
{
    /// <summary>sklearn's SVC tolerance (libsvm's eps).</summary>
    public const double Tolerance = 1e-3;

    /// <summary>sklearn's SVC kernel cache, in MB.</summary>
    public const double CacheSizeMb = 200;

    /// <summary>The libsvm release in use, e.g. "3.24".</summary>
    public static string LibSvmVersion
    {
        get
        {
            int version = LibSvmNative.EnsureLoaded();
            return $"{version / 100}.{version % 100:D2}";
        }
    }

    /// <summary>
    /// Trains on <paramref name="trainFeatures"/> (row-major, <paramref name="featureCount"/> per row) with labels 0/1 and
    /// predicts every row of <paramref name="testFeatures"/>.
    /// </summary>
    /// <param name="trainFeatures">Training rows, row-major; finite.</param>
    /// <param name="trainLabels">0 or 1 per training row; both must occur.</param>
    /// <param name="testFeatures">Rows to classify, row-major; finite.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="c">Penalty C (SalUn's MIA uses 3).</param>
    /// <param name="gamma">RBF width; null means sklearn's "auto", 1 / featureCount.</param>
    /// <returns>Predicted labels and decision values (positive means class 1, as sklearn's <c>decision_function</c>).</returns>
    /// <exception cref="ArgumentException">Ragged rows, labels other than 0/1, a missing class, non-finite values, or parameters libsvm rejects.</exception>
    /// <exception cref="DllNotFoundException">libsvm3 is not installed.</exception>
    public static unsafe (int[] Labels, double[] Decisions) FitPredict(ReadOnlySpan<double> trainFeatures, ReadOnlySpan<int> trainLabels,
        ReadOnlySpan<double> testFeatures, int featureCount, double c = 3, double? gamma = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (!double.IsFinite(c) || c <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, "the SVC penalty C must be a positive finite number");
        }
        double g = gamma ?? 1.0 / featureCount;
        if (!double.IsFinite(g) || g <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "the RBF gamma must be a positive finite number (null: 1 / featureCount)");
        }
        int trainRows = trainLabels.Length;
        if (trainRows < 2)
        {
            throw new ArgumentException($"the SVC needs at least 2 training rows, got {trainRows}", nameof(trainLabels));
        }
        if (trainFeatures.Length != (long)trainRows * featureCount)
        {
            throw new ArgumentException($"{trainFeatures.Length} training values do not make {trainRows} rows of {featureCount} features", nameof(trainFeatures));
        }
        if (testFeatures.Length % featureCount != 0)
        {
            throw new ArgumentException($"{testFeatures.Length} test values are not whole rows of {featureCount} features", nameof(testFeatures));
        }
        bool seenZero = false, seenOne = false;
        for (int i = 0; i < trainRows; i++)
        {
            int label = trainLabels[i];
            if (label is not (0 or 1))
            {
                throw new ArgumentException($"SVC labels must be 0 or 1, row {i} has {label}", nameof(trainLabels));
            }
            seenZero |= label == 0;
            seenOne |= label == 1;
        }
        if (!seenZero || !seenOne)
        {
            throw new ArgumentException($"the SVC training data must contain both classes 0 and 1, got only {(seenOne ? 1 : 0)}", nameof(trainLabels));
        }
        CheckFinite(trainFeatures, nameof(trainFeatures));
        CheckFinite(testFeatures, nameof(testFeatures));
        LibSvmNative.EnsureLoaded();

        // libsvm's model keeps pointers into the training rows (its support vectors), so they stay pinned until it is freed.
        LibSvmNative.SvmNode[] trainNodes = ToNodes(trainFeatures, featureCount);
        LibSvmNative.SvmNode[] testNodes = ToNodes(testFeatures, featureCount);
        var targets = new double[trainRows];
        for (int i = 0; i < trainRows; i++)
        {
            targets[i] = trainLabels[i];
        }
        var rows = new nint[trainRows];
        int testRows = testFeatures.Length / featureCount;
        var labels = new int[testRows];
        var decisions = new double[testRows];
        fixed (LibSvmNative.SvmNode* trainBase = trainNodes)
        fixed (LibSvmNative.SvmNode* testBase = testNodes)
        fixed (double* y = targets)
        fixed (nint* x = rows)
        {
            for (int i = 0; i < trainRows; i++)
            {
                x[i] = (nint)(trainBase + ((long)i * (featureCount + 1)));
            }
            var problem = new LibSvmNative.SvmProblem { L = trainRows, Y = y, X = (LibSvmNative.SvmNode**)x };
            var parameter = new LibSvmNative.SvmParameter
            {
                SvmType = LibSvmNative.CSvc,
                KernelType = LibSvmNative.Rbf,
                Gamma = g,
                C = c,
                CacheSize = CacheSizeMb,
                Eps = Tolerance,
                Shrinking = 1,
                Probability = 0,
                NrWeight = 0,
            };
            byte* problemText = LibSvmNative.CheckParameter(&problem, &parameter);
            if (problemText != null)
            {
                throw new ArgumentException($"libsvm rejected the SVC parameters: {Marshal.PtrToStringUTF8((nint)problemText)}");
            }
            nint model = LibSvmNative.Train(&problem, &parameter);
            if (model == 0)
            {
                throw new InsufficientMemoryException("libsvm could not train the SVC (svm_train returned no model)");
            }
            try
            {
                // libsvm orders classes by first appearance and its decision value is positive for its first class.
                int* modelLabels = stackalloc int[2];
                LibSvmNative.GetLabels(model, modelLabels);
                double sign = modelLabels[0] == 1 ? 1.0 : -1.0;
                double decision = 0;
                for (int i = 0; i < testRows; i++)
                {
                    double predicted = LibSvmNative.PredictValues(model, testBase + ((long)i * (featureCount + 1)), &decision);
                    labels[i] = (int)predicted;
                    decisions[i] = sign * decision;
                }
            }
            finally
            {
                LibSvmNative.FreeAndDestroyModel(&model);
            }
        }
        return (labels, decisions);
    }

    // Dense rows in libsvm's sparse layout: indices 1..d, then index -1.
    private static LibSvmNative.SvmNode[] ToNodes(ReadOnlySpan<double> features, int featureCount)
    {
        int rows = features.Length / featureCount;
        var nodes = new LibSvmNative.SvmNode[checked(rows * (featureCount + 1))];
        for (int i = 0; i < rows; i++)
        {
            int start = i * (featureCount + 1);
            for (int j = 0; j < featureCount; j++)
            {
                nodes[start + j] = new LibSvmNative.SvmNode { Index = j + 1, Value = features[(i * featureCount) + j] };
            }
            nodes[start + featureCount] = new LibSvmNative.SvmNode { Index = -1 };
        }
        return nodes;
    }

    private static void CheckFinite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"SVC features must be finite; value {i} is {values[i]}", name);
            }
        }
    }
}
