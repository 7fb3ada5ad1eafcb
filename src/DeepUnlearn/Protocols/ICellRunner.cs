using System.Threading;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Every tensor-dependent step of a benchmark protocol, behind one small interface: opening the data, training
/// the original, retraining an oracle, and running one cell (a method on the original, evaluated against the
/// oracle). The sweep, the oracle store, the merge and the guards never touch tensors; they call this.
/// <see cref="EngineCellRunner"/> is the implementation on the toolkit's engine; <see cref="SyntheticCellRunner"/>
/// replaces every step by deterministic synthetic numbers, to test the plumbing (sharding, locks, merge) on a
/// cluster without training anything.
/// </summary>
/// <remarks>
/// Contract: every method is deterministic given its job (same job, same numbers, up to the engine's own
/// non-determinism); it writes only inside the directories it is given; it throws on failure (the sweep records
/// the failure and goes on) and honours cancellation. Implementations need not be thread-safe: a sweep runs
/// one step at a time per process.
/// </remarks>
public interface ICellRunner
{
    /// <summary>What the runner is and runs on (written into every manifest).</summary>
    EngineDescription Engine { get; }

    /// <summary>
    /// The precision and memory layout this runner trains, retrains and unlearns <paramref name="model"/> with (resolved
    /// for its device); part of the content keys of originals and oracles.
    /// </summary>
    PrecisionPolicy Precision(RecipeModel model);

    /// <summary>Opens <paramref name="dataSpec"/> and returns its content fingerprint and sizes.</summary>
    DataDescription DescribeData(string dataSpec, CancellationToken cancellationToken);

    /// <summary>
    /// Trains the original model of <paramref name="job"/>; writes the model into <paramref name="outputDirectory"/>
    /// (published atomically by the caller) and may keep resumable state in <paramref name="workDirectory"/>
    /// (the same directory on a retry after preemption).
    /// </summary>
    TrainedModel TrainOriginal(OriginalJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken);

    /// <summary>Retrains from scratch without the forget set of <paramref name="job"/> (the oracle); same directory contract.</summary>
    TrainedModel TrainOracle(OracleJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one cell: the method of <paramref name="job"/> on the original (for <c>retrain</c>, the oracle itself is
    /// the result) and its metrics against the oracle. May write artefacts into the job's output directory.
    /// </summary>
    CellMetrics RunCell(CellJob job, CancellationToken cancellationToken);
}
