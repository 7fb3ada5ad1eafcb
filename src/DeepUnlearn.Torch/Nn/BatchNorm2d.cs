using System;

namespace DeepUnlearn.Torch.Nn;

/// <summary>
/// Batch normalisation over the channels of [N, C, H, W] (torch.nn.BatchNorm2d): parameters
/// <c>weight</c>, <c>bias</c>; buffers <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
public sealed class BatchNorm2d : Module
{
    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    /// <param name="numFeatures">Channels.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">Running-statistics momentum; null for a cumulative average.</param>
    /// <param name="affine">Whether weight and bias are learned.</param>
    /// <param name="trackRunningStats">Whether running statistics are kept (else batch statistics are always used).</param>
    public BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures]));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures]));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
        }
    }

    /// <summary>Channels.</summary>
    public long NumFeatures { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Running-statistics momentum; null for a cumulative moving average.</summary>
    public double? Momentum { get; }

    /// <summary>Scale γ, if affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>Shift β, if affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean, if tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Running (unbiased) variance, if tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Number of training batches seen, if tracked.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        double momentum = Momentum ?? 0.0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            NumBatchesTracked.AddInPlace(1);
            if (Momentum is null)
            {
                momentum = 1.0 / NumBatchesTracked.Item();
            }
        }
        bool useBatchStats = IsTraining || RunningMean is null;
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatchStats, momentum, Eps);
    }
}
