namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// One request of an online (sequential) stream (<see cref="DeltaGradStream"/>): what it changed, the time
/// DeltaGrad and exact retraining took for it and in total so far, and how far DeltaGrad's model is from
/// exact retraining on all requests so far.
/// </summary>
public sealed record DeltaGradStreamStep
{
    /// <summary>1 for the first request.</summary>
    public required int Request { get; init; }

    /// <summary>"deletion" or "addition".</summary>
    public required string Change { get; init; }

    /// <summary>Samples this request deleted or added.</summary>
    public required int ChangedSamples { get; init; }

    /// <summary>Samples changed by all requests so far.</summary>
    public required int CumulativeChangedSamples { get; init; }

    /// <summary>Steps of this request's replay computed exactly.</summary>
    public required int ExactSteps { get; init; }

    /// <summary>Steps of this request's replay estimated with L-BFGS.</summary>
    public required int ApproximateSteps { get; init; }

    /// <summary>DeltaGrad's wall time for this request (replay and recording of the updated path), seconds.</summary>
    public required double DeltaGradSeconds { get; init; }

    /// <summary>DeltaGrad's wall time over all requests so far, seconds.</summary>
    public required double CumulativeDeltaGradSeconds { get; init; }

    /// <summary>Exact retraining's wall time for this request (a retrain from w_0 on the changed data), seconds.</summary>
    public required double RetrainSeconds { get; init; }

    /// <summary>Exact retraining's wall time over all requests so far, seconds.</summary>
    public required double CumulativeRetrainSeconds { get; init; }

    /// <summary>CumulativeRetrainSeconds / CumulativeDeltaGradSeconds.</summary>
    public required double CumulativeSpeedup { get; init; }

    /// <summary>‖w_DG − w_retrain‖₂ after this request (w_retrain: exact retraining on all requests so far).</summary>
    public required double DistanceToRetrain { get; init; }

    /// <summary>‖w_orig − w_retrain‖₂: how far all requests so far move the original model.</summary>
    public required double OriginalDistanceToRetrain { get; init; }

    /// <summary>DistanceToRetrain / OriginalDistanceToRetrain.</summary>
    public required double RelativeDistance { get; init; }

    /// <summary>Test accuracy (%) of DeltaGrad's model, when test data was given.</summary>
    public double? TestAccuracyDeltaGrad { get; init; }

    /// <summary>Test accuracy (%) of the retrained model, when test data was given.</summary>
    public double? TestAccuracyRetrain { get; init; }
}
