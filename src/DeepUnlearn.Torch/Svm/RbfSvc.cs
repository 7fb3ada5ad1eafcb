using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch.Svm;

/// <summary>
/// A binary C-SVC with an RBF kernel, trained and applied through libsvm (the library inside
/// sklearn.svm.SVC), so membership-inference numbers are comparable with the field's Python code.
/// </summary>
public static class RbfSvc
{
    /// <summary>
    /// Trains on <paramref name="trainFeatures"/> (row-major, <paramref name="featureCount"/> per row) with
    /// labels 0/1 and predicts every row of <paramref name="testFeatures"/>.
    /// </summary>
    /// <param name="trainFeatures">Training rows, row-major.</param>
    /// <param name="trainLabels">0 or 1 per training row.</param>
    /// <param name="testFeatures">Rows to classify, row-major.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="c">Penalty C (SalUn's MIA uses 3).</param>
    /// <param name="gamma">RBF width; null means sklearn's "auto", 1 / featureCount.</param>
    /// <returns>Predicted labels and decision values (positive means class 1).</returns>
    public static unsafe (int[] Labels, double[] Decisions) FitPredict(
        ReadOnlySpan<double> trainFeatures, ReadOnlySpan<int> trainLabels, ReadOnlySpan<double> testFeatures, int featureCount, double c = 3, double? gamma = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c);
        if (trainFeatures.Length != trainLabels.Length * featureCount)
        {
            throw new ArgumentException($"{trainFeatures.Length} training values do not make {trainLabels.Length} rows of {featureCount} features", nameof(trainFeatures));
        }
        if (testFeatures.Length % featureCount != 0)
        {
            throw new ArgumentException($"{testFeatures.Length} test values are not whole rows of {featureCount} features", nameof(testFeatures));
        }
        double g = gamma ?? 1.0 / featureCount;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(g, nameof(gamma));
        int testRows = testFeatures.Length / featureCount;
        var labels = new int[testRows];
        var decisions = new double[testRows];
        fixed (double* xTrain = trainFeatures)
        fixed (int* yTrain = trainLabels)
        fixed (double* xTest = testFeatures)
        fixed (int* outLabels = labels)
        fixed (double* outDecisions = decisions)
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_svm_rbf_fit_predict(
                xTrain, yTrain, trainLabels.Length, featureCount, c, g, xTest, testRows, outLabels, outDecisions));
        }
        return (labels, decisions);
    }
}
