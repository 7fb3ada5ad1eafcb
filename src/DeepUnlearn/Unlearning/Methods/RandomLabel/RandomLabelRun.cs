using System.Collections.Generic;

namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>What the RL loop did: steps, the mean loss of its last epoch and the loop it ran.</summary>
/// <param name="Steps">optim.Optimizer steps.</param>
/// <param name="FinalLoss">Mean cross-entropy of the last epoch, over every batch it ran.</param>
/// <param name="Loop">The loop run (never <see cref="RandomLabelLoop.Auto"/>).</param>
internal sealed record RandomLabelRun(int Steps, double FinalLoss, RandomLabelLoop Loop)
{
    /// <summary>The diagnostics RL and SalUn report: epochs, steps, final_train_loss, forget_then_retain (1 or 0).</summary>
    public Dictionary<string, double> Diagnostics(int epochs) => new()
    {
        ["epochs"] = epochs,
        ["steps"] = Steps,
        ["final_train_loss"] = FinalLoss,
        ["forget_then_retain"] = Loop == RandomLabelLoop.ForgetThenRetain ? 1 : 0,
    };
}
