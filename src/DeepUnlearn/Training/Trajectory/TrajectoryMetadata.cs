using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// What a <see cref="TrainingTrajectory"/> was recorded for: the model and dataset it belongs to, the
/// size of the flattened parameter vector, the storage precision, the L2 weight decay λ of the update
/// w_{t+1} = w_t − η_t (g_t + λ w_t) (g_t is the gradient of the data loss only), and the id space of the
/// samples. DeltaGrad uses λ to treat the regulariser exactly, as the DeltaGrad paper does.
/// </summary>
public sealed record TrajectoryMetadata
{
    /// <summary>Longest identity string (UTF-8 bytes) a trajectory file stores.</summary>
    public const int MaxIdentityBytes = 1024;

    /// <summary>Creates the metadata; see the properties for the meaning of each value.</summary>
    public TrajectoryMetadata(
        string modelIdentity,
        string datasetIdentity,
        long parameterCount,
        long datasetSize,
        double weightDecay,
        long stepsPerEpoch,
        ScalarType elementType = ScalarType.Float32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelIdentity);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetIdentity);
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be finite and ≥ 0");
        }
        if (elementType is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "a trajectory stores Float32 (default) or Float64");
        }
        if (System.Text.Encoding.UTF8.GetByteCount(modelIdentity) > MaxIdentityBytes
            || System.Text.Encoding.UTF8.GetByteCount(datasetIdentity) > MaxIdentityBytes)
        {
            throw new ArgumentException($"model and dataset identities must be at most {MaxIdentityBytes} UTF-8 bytes");
        }
        ModelIdentity = modelIdentity;
        DatasetIdentity = datasetIdentity;
        ParameterCount = parameterCount;
        DatasetSize = datasetSize;
        WeightDecay = weightDecay;
        StepsPerEpoch = stepsPerEpoch;
        ElementType = elementType;
    }

    /// <summary>The model's architecture and shape, e.g. <c>logistic-regression(784→10)</c>.</summary>
    public string ModelIdentity { get; }

    /// <summary>The dataset (and split) the sample ids refer to, e.g. <c>fashion-mnist/train</c>.</summary>
    public string DatasetIdentity { get; }

    /// <summary>Length of the flattened parameter vector w_t (and of g_t).</summary>
    public long ParameterCount { get; }

    /// <summary>Sample ids run over [0, DatasetSize).</summary>
    public long DatasetSize { get; }

    /// <summary>The L2 weight decay λ of the recorded updates.</summary>
    public double WeightDecay { get; }

    /// <summary>Steps per epoch of the recorded batch order (1 for full-batch gradient descent).</summary>
    public long StepsPerEpoch { get; }

    /// <summary>Storage precision of w_t and g_t: Float32 (default) or Float64.</summary>
    public ScalarType ElementType { get; }
}
