namespace DeepUnlearn.Unlearning;

/// <summary>Where a method is: its phase (e.g. <c>max-step</c>, <c>saliency</c>), the step and the total, and the current loss.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Phase">What it is doing.</param>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Total steps (0 when unknown).</param>
/// <param name="Loss">The latest loss (NaN when not applicable).</param>
public readonly record struct UnlearningProgress(string Method, string Phase, int Step, int Steps, double Loss)
{
    /// <summary>Images processed so far in this phase (0 when the method does not count them).</summary>
    public long Images { get; init; }

    /// <summary>Throughput measured by the reporter itself (a trainer's), in images per second; NaN when not measured.</summary>
    public double ImagesPerSecond { get; init; } = double.NaN;

    /// <summary>Remaining time estimated by the reporter itself; null when it does not estimate it.</summary>
    public System.TimeSpan? Eta { get; init; }
}
