using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Torch.Svm;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Svm;

public class RbfSvcTests
{
    [Theory]
    [InlineData("confidence_1d")]
    [InlineData("disc_2d")]
    public void FitPredict_MatchesSklearnSvcDecisions(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "svm.json")));
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
    public void FitPredict_OneClassOnly_ThrowsClearError()
    {
        var e = Assert.Throws<TorchException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3], [1, 1, 1], [0.5], 1));
        Assert.Contains("both classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitPredict_RaggedRows_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => RbfSvc.FitPredict([0.1, 0.2, 0.3], [0, 1], [0.5], 2));
    }
}
