using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Evaluation.Svm;
using Xunit;

namespace DeepUnlearn.Tests.Codecs.Svm;

public class RbfSvcTests
{
    // Golden decisions from scikit-learn 1.2.1's SVC(C=3, gamma='auto', kernel='rbf'), an independent libsvm front end
    // (tests/DeepUnlearn.Torch.Tests/Golden/make_svm_golden.py).
    [Theory]
    [InlineData("confidence_1d")]
    [InlineData("disc_2d")]
    public void FitPredict_MatchesSklearnSvcDecisions(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Codecs", "Golden", "svm.json")));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        double[] xTrain = c.GetProperty("x_train").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int[] yTrain = c.GetProperty("y_train").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] xTest = c.GetProperty("x_test").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int[] expectedLabels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] expectedDecision = c.GetProperty("decision").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var (labels, decisions) = RbfSvc.FitPredict(xTrain, yTrain, xTest, c.GetProperty("features").GetInt32(), c.GetProperty("c").GetDouble());

        Assert.Equal(expectedLabels, labels);
        // Both solvers stop at libsvm's tolerance 1e-3 (sklearn bundles its own libsvm fork), so decision
        // values agree to that order, not to rounding.
        for (int i = 0; i < decisions.Length; i++)
        {
            Assert.Equal(expectedDecision[i], decisions[i], 2e-3);
        }
    }

    [Fact]
    public void FitPredict_ClassOneFirstOrLast_GivesTheSameDecisions()
    {
        // libsvm's decision sign follows the first label it sees; ours must always be positive for class 1.
        double[] x = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 0.95];
        int[] y = [0, 0, 0, 0, 1, 0, 1, 1, 1, 1];
        double[] test = [0.0, 0.15, 0.85, 1.0];
        var (labelsA, decisionsA) = RbfSvc.FitPredict(x, y, test, 1);
        var (labelsB, decisionsB) = RbfSvc.FitPredict(x.Reverse().ToArray(), y.Reverse().ToArray(), test, 1);
        Assert.Equal([0, 0, 1, 1], labelsA);
        Assert.Equal(labelsA, labelsB);
        Assert.True(decisionsA[0] < 0 && decisionsA[3] > 0);
        // Row order changes libsvm's path to the optimum, not the optimum: decisions agree to its tolerance.
        for (int i = 0; i < test.Length; i++)
        {
            Assert.Equal(decisionsA[i], decisionsB[i], 2e-3);
        }
    }

    [Fact]
    public void FitPredict_OneClassOnly_ThrowsClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3], [1, 1, 1], [0.5], 1));
        Assert.Contains("both classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitPredict_RaggedRows_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3], [0, 1], [0.5], 2));
        Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3, 0.4], [0, 1], [0.5], 2));
    }

    [Fact]
    public void FitPredict_BadLabelsOrValues_ThrowsNamingTheProblem()
    {
        var label = Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3], [0, 2, 1], [0.5], 1));
        Assert.Contains("row 1 has 2", label.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, double.NaN, 0.3], [0, 1, 1], [0.5], 1));
        Assert.Contains("value 1 is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RbfSvc.FitPredict([0.1, 0.2], [0, 1], [0.5], 1, c: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RbfSvc.FitPredict([0.1, 0.2], [0, 1], [0.5], 1, gamma: double.PositiveInfinity));
    }

    [Fact]
    public void LibSvmVersion_IsA3xRelease()
    {
        Assert.Matches(@"^3\.\d\d$", RbfSvc.LibSvmVersion);
    }
}
