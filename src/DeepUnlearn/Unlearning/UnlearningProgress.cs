namespace DeepUnlearn.Unlearning;

/// <summary>Where a method is: its phase (e.g. <c>max-step</c>, <c>saliency</c>), the step and the total, and the current loss.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Phase">What it is doing.</param>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Total steps (0 when unknown).</param>
/// <param name="Loss">The latest loss (NaN when not applicable).</param>
public readonly record struct UnlearningProgress(string Method, string Phase, int Step, int Steps, double Loss);
