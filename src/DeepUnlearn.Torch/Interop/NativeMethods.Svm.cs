using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/svm.cpp.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static unsafe partial int du_svm_rbf_fit_predict(double* xTrain, int* yTrain, long nTrain, long nFeatures, double c, double gamma, double* xTest, long nTest, int* outLabels, double* outDecision);
}
