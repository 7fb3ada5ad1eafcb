using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Tests.Reporting;

/// <summary>The hand-made comparison the report tests start from: a class request on a 100-sample fixture.</summary>
internal static class ReportFixtures
{
    /// <summary>A class-wise report over <paramref name="seeds"/> seeds (10 forget, 90 retain samples).</summary>
    public static ComparisonReport Report(UnlearningMetrics original, UnlearningMetrics[] runs, UnlearningMetrics[] references, int seeds = 1) => new()
    {
        Dataset = "fixture",
        Checkpoint = "fixture.safetensors",
        Model = "smallcnn",
        Request = "classes:0",
        ForgetCount = 10,
        RetainCount = 90,
        Seeds = Enumerable.Range(0, seeds).Select(s => (ulong)s).ToArray(),
        Environment = "fixture",
        Original = original,
        Runs = runs,
        References = references,
    };

    /// <summary>One model's row with the four headline numbers (the loss MIA equal to the MIA).</summary>
    public static UnlearningMetrics Run(string method, double ua, double ra, double ta, double mia, ulong seed = 0) => new()
    {
        Method = method,
        Seed = seed,
        UnlearningAccuracy = ua,
        RetainAccuracy = ra,
        TestAccuracy = ta,
        MiaEfficacy = mia,
        LossMiaEfficacy = mia,
        DistanceToOriginal = 1,
        Seconds = 1,
    };
}
