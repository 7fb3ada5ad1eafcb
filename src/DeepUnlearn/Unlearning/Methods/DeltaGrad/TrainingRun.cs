using System;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>What a <see cref="PlainTrainer"/> run did.</summary>
/// <param name="Steps">Steps that updated the parameters.</param>
/// <param name="SkippedSteps">Steps skipped because their batch was empty (all of its samples deleted).</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record TrainingRun(int Steps, int SkippedSteps, TimeSpan Elapsed);
