using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Unlearning;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// PGU's class-wise target rule (ours, on with <c>stop_at_target=true</c>): the target forget accuracy is 0 and
/// counts as reached at or below <c>class_target_tolerance</c>; the rule may keep the previous check's weights only
/// when they are closer to the target, which for a target of 0 never overrides a check inside the tolerance.
/// </summary>
public class PguStoppingTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    /// <summary>The contract tests' settings: rates that make progress on the tiny model, a check every 3 steps.</summary>
    private static readonly KeyValuePair<string, string>[] s_tiny =
    [
        new("offset", "0.000001"), new("start_learning_rate", "0.5"), new("end_learning_rate", "0.1"), new("epochs", "30"),
        new("eval_every", "3"), new("covariance_samples", "200"), new("eval_samples", "200"), new("stop_at_target", "true"),
        new("retain_drop_limit", "100"),
    ];

    [Fact]
    public void Run_ToleranceAboveTheOriginalsForgetAccuracy_StopsBeforeAnyStep()
    {
        float[] original = setup.flatten(setup.Original);
        using UnlearningOutcome outcome = Run(100);
        Assert.Equal(0, outcome.Diagnostics["steps"]);
        Assert.Equal(1, outcome.Diagnostics["target_reached"]);
        Assert.Equal(setup.OriginalForgetAccuracy, outcome.Diagnostics["stop_forget_accuracy"], 6);
        Assert.Equal(original, setup.flatten(outcome.Model));
    }

    [Fact]
    public void Run_ClassTolerance_StopsAtTheFirstCheckInsideIt_AndReturnsThoseWeights()
    {
        const double tolerance = 40;
        Assert.True(setup.OriginalForgetAccuracy > tolerance, $"the original's forget accuracy {setup.OriginalForgetAccuracy:F1}% is already inside the tolerance");
        using UnlearningOutcome loose = Run(tolerance);
        using UnlearningOutcome strict = Run(0);
        Assert.Equal(1, loose.Diagnostics["target_reached"]);
        double stopped = loose.Diagnostics["stop_forget_accuracy"];
        Assert.True(stopped <= tolerance, $"stopped at {stopped:F1}% forget accuracy, above the tolerance {tolerance}");
        // The reported accuracy is the returned model's (the rule did not restore an earlier checkpoint).
        Assert.Equal(setup.ForgetAccuracy(loose.Model), stopped, 6);
        // Same seed, same trajectory: the strict run passes the loose run's stopping point before it stops.
        Assert.True(strict.Diagnostics["steps"] >= loose.Diagnostics["steps"], $"tolerance 0 stopped after {strict.Diagnostics["steps"]} steps, tolerance {tolerance} after {loose.Diagnostics["steps"]}");
    }

    private UnlearningOutcome Run(double tolerance) =>
        MethodRegistry.Create("pgu", s_tiny.Append(new("class_target_tolerance", tolerance.ToString(CultureInfo.InvariantCulture))))
            .Run(setup.Context, CancellationToken.None);
}
