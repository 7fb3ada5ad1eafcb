namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad against exact retraining on one change: wall times and speed-up, parameter distances
/// (‖w_DG − w_retrain‖ should be far below ‖w_orig − w_retrain‖), and test accuracies (percent) when test
/// data was given.
/// </summary>
public sealed record DeltaGradMetrics
{
    /// <summary>"deletion" or "addition".</summary>
    public required string Change { get; init; }

    /// <summary>Number of deleted or added samples.</summary>
    public required int ChangedSamples { get; init; }

    /// <summary>Training samples of the original run.</summary>
    public required long TrainingSamples { get; init; }

    /// <summary>Steps of the replay.</summary>
    public required int Steps { get; init; }

    /// <summary>Steps DeltaGrad computed exactly.</summary>
    public required int ExactSteps { get; init; }

    /// <summary>Steps DeltaGrad estimated with L-BFGS.</summary>
    public required int ApproximateSteps { get; init; }

    /// <summary>T0.</summary>
    public required int Period { get; init; }

    /// <summary>j0.</summary>
    public required int BurnIn { get; init; }

    /// <summary>m.</summary>
    public required int History { get; init; }

    /// <summary>DeltaGrad wall time, seconds.</summary>
    public required double DeltaGradSeconds { get; init; }

    /// <summary>Exact retraining wall time, seconds.</summary>
    public required double RetrainSeconds { get; init; }

    /// <summary>RetrainSeconds / DeltaGradSeconds.</summary>
    public required double Speedup { get; init; }

    /// <summary>‖w_DG − w_retrain‖₂.</summary>
    public required double DistanceToRetrain { get; init; }

    /// <summary>‖w_orig − w_retrain‖₂, how far the change moves the model.</summary>
    public required double OriginalDistanceToRetrain { get; init; }

    /// <summary>DistanceToRetrain / OriginalDistanceToRetrain.</summary>
    public required double RelativeDistance { get; init; }

    /// <summary>Test accuracy (%) of the original model, when test data was given.</summary>
    public double? TestAccuracyOriginal { get; init; }

    /// <summary>Test accuracy (%) of DeltaGrad's model.</summary>
    public double? TestAccuracyDeltaGrad { get; init; }

    /// <summary>Test accuracy (%) of the retrained model.</summary>
    public double? TestAccuracyRetrain { get; init; }
}
