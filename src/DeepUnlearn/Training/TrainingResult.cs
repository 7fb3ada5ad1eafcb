using System.Collections.Generic;

namespace DeepUnlearn.Training;

/// <summary>The epochs a <see cref="Trainer"/> run went through (including resumed ones it loaded) and its totals.</summary>
/// <param name="Epochs">Per-epoch results of this call.</param>
/// <param name="StartEpoch">The epoch the call started at (greater than 0 when resumed).</param>
/// <param name="BestValidationAccuracy">The best validation accuracy seen, if validated.</param>
/// <param name="Seconds">Wall time of this call.</param>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int StartEpoch, double? BestValidationAccuracy, double Seconds);
