using DeepUnlearn.Training.Trajectory;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>Per step t: the ids of B_t that are deleted (R ∩ B_t), the ids added to B_t, and the changed
/// batches that exact retraining runs on.</summary>
internal sealed class ChangePlan
{
    public ChangePlan(long[][] removed, long[][] added, BatchSchedule retraining)
    {
        Removed = removed;
        Added = added;
        Retraining = retraining;
    }

    public long[][] Removed { get; }

    public long[][] Added { get; }

    public BatchSchedule Retraining { get; }
}
