using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// The cached training path DeltaGrad replays: for every step t the sample ids of the mini-batch B_t
/// (in loader order), the learning rate η_t, the flattened parameters w_t and the flattened mini-batch
/// gradient of the data loss g_t = ∇F_{B_t}(w_t), plus <see cref="Metadata"/> (weight decay λ, model and
/// dataset identity). Held in memory (<see cref="InMemory"/>) or in a memory-mapped file
/// (<see cref="Create"/>, <see cref="Open"/>). Writers append one step at a time; readers get w_t and g_t
/// back as new tensors on the device they ask for.
/// </summary>
public abstract class TrainingTrajectory : IDisposable
{
    private bool[]? _trainingIds;

    private protected TrainingTrajectory(TrajectoryMetadata metadata)
    {
        Metadata = metadata;
    }

    /// <summary>What the trajectory was recorded for.</summary>
    public TrajectoryMetadata Metadata { get; }

    /// <summary>Number of recorded steps.</summary>
    public abstract int StepCount { get; }

    /// <summary>True when the trajectory was opened for reading only.</summary>
    public abstract bool IsReadOnly { get; }

    /// <summary>Where the trajectory lives: a file path, or "memory".</summary>
    public abstract string Location { get; }

    /// <summary>Creates an empty trajectory held in memory; tensors are kept on <paramref name="storageDevice"/> (CPU by default).</summary>
    public static TrainingTrajectory InMemory(TrajectoryMetadata metadata, Device? storageDevice = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new InMemoryTrajectory(metadata, storageDevice ?? torch.CPU);
    }

    /// <summary>
    /// Creates a file-backed trajectory at <paramref name="path"/>, with the batch ids in
    /// <c><paramref name="path"/>.ids</c>. <paramref name="expectedSteps"/> pre-sizes the mapping; it grows
    /// when more steps are appended. The steps go to hidden temporaries beside the path: <see cref="Complete"/> publishes
    /// them under the path, and a writer disposed without it (a failed recording) leaves nothing there.
    /// </summary>
    /// <param name="path">The trajectory file.</param>
    /// <param name="metadata">What the trajectory is recorded for.</param>
    /// <param name="expectedSteps">The steps to pre-size for.</param>
    /// <param name="overwrite">Whether files (or symbolic links) already at the path and its <c>.ids</c> may be replaced; a
    /// link is replaced, never written through.</param>
    /// <exception cref="System.IO.IOException">Something is at the path or its <c>.ids</c> and <paramref name="overwrite"/> is false (a
    /// symbolic link is refused in any case without it), or the path is a folder.</exception>
    public static TrainingTrajectory Create(string path, TrajectoryMetadata metadata, int expectedSteps = 0, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSteps);
        return MappedFileTrajectory.CreateFile(path, metadata, expectedSteps, overwrite);
    }

    /// <summary>
    /// Opens a trajectory file for reading and validates it: magic, version, header checksum, sizes
    /// (a truncated file is an error), per-step records and batch ids (each must lie in the dataset).
    /// </summary>
    /// <exception cref="TrajectoryFormatException">The file is not a valid trajectory.</exception>
    public static TrainingTrajectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return MappedFileTrajectory.OpenFile(path);
    }

    /// <summary>
    /// Bytes a trajectory of <paramref name="steps"/> steps will take (w_t and g_t: steps × parameters × 2 ×
    /// element size, plus per-step records, the header and the batch ids), to report before training.
    /// </summary>
    public static long EstimateBytes(long steps, long parameterCount, ScalarType elementType, long totalBatchIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(totalBatchIds);
        return MappedFileTrajectory.HeaderBytes
            + (steps * MappedFileTrajectory.RecordBytes(parameterCount, elementType))
            + MappedFileTrajectory.IdsHeaderBytes
            + (totalBatchIds * sizeof(long));
    }

    /// <summary><see cref="EstimateBytes(long, long, ScalarType, long)"/> for the steps of <paramref name="schedule"/>.</summary>
    public static long EstimateBytes(BatchSchedule schedule, long parameterCount, ScalarType elementType)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return EstimateBytes(schedule.StepCount, parameterCount, elementType, schedule.TotalIds);
    }

    /// <summary>The sample ids of step <paramref name="step"/>, in loader order.</summary>
    public long[] BatchIds(int step)
    {
        CheckStep(step);
        return BatchIdsCore(step);
    }

    /// <summary>η at step <paramref name="step"/>.</summary>
    public double LearningRate(int step)
    {
        CheckStep(step);
        return LearningRateCore(step);
    }

    /// <summary>w_t as a new [P] tensor on <paramref name="device"/>, in <paramref name="dtype"/> (the storage type when null).</summary>
    public Tensor ReadParameters(int step, Device device, ScalarType? dtype = null)
    {
        CheckStep(step);
        return ReadCore(step, gradient: false, device, dtype ?? Metadata.ElementType);
    }

    /// <summary>g_t = ∇F_{B_t}(w_t) (data loss only) as a new [P] tensor on <paramref name="device"/>.</summary>
    public Tensor ReadGradient(int step, Device device, ScalarType? dtype = null)
    {
        CheckStep(step);
        return ReadCore(step, gradient: true, device, dtype ?? Metadata.ElementType);
    }

    /// <summary>
    /// The parameters after the last recorded step, w_T = w_{T−1} − η_{T−1} (g_{T−1} + λ w_{T−1}): the
    /// trained model, recomputed with the trainer's own update rule.
    /// </summary>
    public Tensor FinalParameters(Device device, ScalarType? dtype = null)
    {
        if (StepCount == 0)
        {
            throw new InvalidOperationException("the trajectory has no steps");
        }
        int last = StepCount - 1;
        ScalarType type = dtype ?? Metadata.ElementType;
        Tensor w = ReadParameters(last, device, type);
        using Tensor g = ReadGradient(last, device, type);
        SgdUpdate.Apply(w, g, LearningRate(last), Metadata.WeightDecay);
        return w;
    }

    /// <summary>The recorded batch order as a schedule.</summary>
    public BatchSchedule Schedule()
    {
        if (StepCount == 0)
        {
            throw new InvalidOperationException("the trajectory has no steps");
        }
        return BatchSchedule.FromBatches(Enumerable.Range(0, StepCount).Select(BatchIdsCore), Metadata.StepsPerEpoch);
    }

    /// <summary>The recorded learning rates as a schedule.</summary>
    public LearningRateSchedule LearningRates()
    {
        if (StepCount == 0)
        {
            throw new InvalidOperationException("the trajectory has no steps");
        }
        return LearningRateSchedule.PerStep(Enumerable.Range(0, StepCount).Select(LearningRateCore).ToArray());
    }

    /// <summary>True when sample <paramref name="id"/> occurs in some recorded batch (it was trained on).</summary>
    public bool IsInTrainingSet(long id)
    {
        if (id < 0 || id >= Metadata.DatasetSize)
        {
            return false;
        }
        if (_trainingIds is null)
        {
            var seen = new bool[Metadata.DatasetSize];
            for (int t = 0; t < StepCount; t++)
            {
                foreach (long i in BatchIdsCore(t))
                {
                    seen[i] = true;
                }
            }
            _trainingIds = seen;
        }
        return _trainingIds[id];
    }

    /// <summary>
    /// Checks that this trajectory belongs to the given model and dataset: same parameter count, model
    /// identity, dataset identity and dataset size.
    /// </summary>
    /// <exception cref="TrajectoryFormatException">It was recorded for another model or dataset.</exception>
    public void EnsureMatches(string modelIdentity, long parameterCount, string datasetIdentity, long datasetSize)
    {
        var problems = new List<string>();
        if (parameterCount != Metadata.ParameterCount)
        {
            problems.Add($"it has {Metadata.ParameterCount} parameters per step but the model has {parameterCount}");
        }
        if (!string.Equals(modelIdentity, Metadata.ModelIdentity, StringComparison.Ordinal))
        {
            problems.Add($"it was recorded for model '{Metadata.ModelIdentity}', not '{modelIdentity}'");
        }
        if (!string.Equals(datasetIdentity, Metadata.DatasetIdentity, StringComparison.Ordinal))
        {
            problems.Add($"it was recorded on dataset '{Metadata.DatasetIdentity}', not '{datasetIdentity}'");
        }
        if (datasetSize != Metadata.DatasetSize)
        {
            problems.Add($"its dataset has {Metadata.DatasetSize} samples, this one {datasetSize}");
        }
        if (problems.Count > 0)
        {
            throw new TrajectoryFormatException(
                $"trajectory {Location} is a trajectory of another model or dataset: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Checks that this trajectory is the run a request asks for, not only one of the same model and data
    /// (<see cref="EnsureMatches"/>): the same batch order step for step (batch size, epochs, shuffling seed and
    /// training ids decide it), the same learning rate at every step and, when given, the same starting parameters
    /// w_0 (initialisation seed, warm start). A reused trajectory is replayed as recorded, so a request whose settings
    /// differ would be reported with settings that were never used.
    /// </summary>
    /// <param name="schedule">The batch order the request's settings give.</param>
    /// <param name="rates">The learning rates the request's settings give.</param>
    /// <param name="start">The request's w_0, or null to skip that check.</param>
    /// <param name="weightDecay">The request's weight decay λ, or null to skip that check.</param>
    /// <param name="settings">The settings that decide these, for the message (e.g. "deltagrad-head.head_epochs, batch_size, learning_rate, warm_start and the seed").</param>
    /// <exception cref="TrajectoryFormatException">The trajectory was recorded with other settings; the message says which part differs.</exception>
    public void EnsureRecordedWith(BatchSchedule schedule, LearningRateSchedule rates, Tensor? start, double? weightDecay, string settings)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(rates);
        var problems = new List<string>();
        if (weightDecay is double lambda && lambda != Metadata.WeightDecay)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"its weight decay is {Metadata.WeightDecay:G6}, the request's {lambda:G6}"));
        }
        if (StepCount != schedule.StepCount || Metadata.StepsPerEpoch != schedule.StepsPerEpoch)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"it holds {StepCount} steps of {Metadata.StepsPerEpoch} per epoch, the request's settings give {schedule.StepCount} of {schedule.StepsPerEpoch}"));
        }
        else
        {
            int batchStep = Enumerable.Range(0, StepCount).FirstOrDefault(t => !BatchIdsCore(t).AsSpan().SequenceEqual(schedule.Batch(t)), -1);
            if (batchStep >= 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"its batch at step {batchStep} ({BatchIdsCore(batchStep).Length} samples) is not the request's ({schedule.Batch(batchStep).Length} samples): another batch size, shuffling seed or training set"));
            }
            int rateStep = Enumerable.Range(0, StepCount).FirstOrDefault(t => LearningRateCore(t) != rates.At(t), -1);
            if (rateStep >= 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"its learning rate at step {rateStep} is {LearningRateCore(rateStep):G6}, the request's {rates.At(rateStep):G6}"));
            }
        }
        if (start is not null && StepCount > 0)
        {
            using var scope = torch.NewDisposeScope();
            Tensor recorded = ReadCore(0, gradient: false, start.device, Metadata.ElementType);
            Tensor expected = start.to(Metadata.ElementType).flatten();
            if (!recorded.shape.SequenceEqual(expected.shape) || !recorded.eq(expected).all().item<bool>())
            {
                problems.Add("its starting parameters w_0 are not the request's (another initialisation seed or warm start)");
            }
        }
        if (problems.Count > 0)
        {
            throw new TrajectoryFormatException(
                $"trajectory {Location} was recorded with other settings than this request's ({settings}): {string.Join("; ", problems)}; " +
                "replaying it would report settings it did not use: delete it, or name another trajectory file to record one for these settings");
        }
    }

    /// <summary>
    /// Appends step t = <see cref="StepCount"/>: its batch ids, η_t, w_t and g_t (any device and floating
    /// dtype; stored flattened in <see cref="TrajectoryMetadata.ElementType"/>).
    /// </summary>
    public void Append(ReadOnlySpan<long> batchIds, double learningRate, Tensor parameters, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"trajectory {Location} was opened for reading; create a new one to record");
        }
        if (batchIds.IsEmpty)
        {
            throw new ArgumentException("a recorded step needs at least one sample id", nameof(batchIds));
        }
        foreach (long id in batchIds)
        {
            if (id < 0 || id >= Metadata.DatasetSize)
            {
                throw new ArgumentOutOfRangeException(nameof(batchIds), id, $"sample id outside the dataset [0, {Metadata.DatasetSize})");
            }
        }
        if (!double.IsFinite(learningRate) || learningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "a learning rate must be finite and > 0");
        }
        CheckVector(parameters, nameof(parameters));
        CheckVector(gradient, nameof(gradient));
        _trainingIds = null;
        AppendCore(batchIds, learningRate, parameters, gradient);
    }

    /// <summary>
    /// Ends the recording: a file-backed trajectory is published at its path (see <see cref="Create"/>); one in memory has
    /// nothing to do. The trajectory stays readable, and no step can be appended after.
    /// </summary>
    public void Complete() => CompleteCore();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store (a file writer that was not completed deletes its temporaries).</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>What <see cref="Complete"/> does (nothing by default).</summary>
    private protected virtual void CompleteCore()
    {
    }

    private protected abstract long[] BatchIdsCore(int step);

    private protected abstract double LearningRateCore(int step);

    private protected abstract Tensor ReadCore(int step, bool gradient, Device device, ScalarType dtype);

    private protected abstract void AppendCore(ReadOnlySpan<long> batchIds, double learningRate, Tensor parameters, Tensor gradient);

    private void CheckStep(int step)
    {
        if ((uint)step >= (uint)StepCount)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"the trajectory has steps 0..{StepCount - 1}");
        }
    }

    private void CheckVector(Tensor tensor, string name)
    {
        if (tensor.numel() != Metadata.ParameterCount)
        {
            throw new ArgumentException(
                $"{name} has {tensor.numel()} elements but the trajectory stores {Metadata.ParameterCount} per step (parameter count mismatch with the model)", name);
        }
        if (!tensor.is_floating_point())
        {
            throw new ArgumentException($"{name} has dtype {tensor.dtype}; a floating-point tensor is needed", name);
        }
    }
}
