using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// Records a <see cref="TrainingTrajectory"/> from the toolkit's <see cref="Trainer"/> through its step
/// observer (<see cref="TrainingOptions.StepObserver"/>), and moves parameter lists to and from the flat
/// vectors a trajectory stores. The flat order is the order of <c>TrainableParameters()</c>.
/// DeltaGrad replays w_{t+1} = w_t − η_t (g_t + λ w_t): record runs that follow it — plain SGD whose weight
/// decay λ is the optimizer's (so the observed gradient is the data loss's), no momentum, no random
/// augmentation, and no batch-statistics layers in training mode — or the replay will not retrace them.
/// </summary>
public static class TrajectoryRecorder
{
    /// <summary>A step observer appending (batch ids, η_t, w_t, g_t) of every step to <paramref name="trajectory"/>.</summary>
    public static Action<TrainingStep> Observer(TrainingTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return step =>
        {
            using var scope = torch.NewDisposeScope();
            Tensor[] parameters = step.Model.TrainableParameters().ToArray();
            trajectory.Append(step.Ids, step.LearningRate, FlattenParameters(parameters), FlattenGradients(parameters));
        };
    }

    /// <summary>The parameters concatenated into one flat vector (a new tensor, no autograd graph).</summary>
    public static Tensor FlattenParameters(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = torch.NewDisposeScope();
        return torch.cat(parameters.Select(p => p.detach().reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>The parameters' gradients concatenated like <see cref="FlattenParameters"/> (zeros where a gradient is missing).</summary>
    public static Tensor FlattenGradients(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = torch.NewDisposeScope();
        return torch.cat(parameters.Select(p => (p.grad ?? p.detach().zeros_like()).reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>Copies the flat vector <paramref name="flat"/> back into the parameters, in order.</summary>
    public static void LoadParameters(Tensor flat, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(flat);
        ArgumentNullException.ThrowIfNull(parameters);
        long total = parameters.Sum(p => p.numel());
        if (flat.numel() != total)
        {
            throw new ArgumentException($"the flat vector has {flat.numel()} values for {total} parameters", nameof(flat));
        }
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            long at = 0;
            Tensor source = flat.reshape(-1);
            foreach (Tensor p in parameters)
            {
                p.copy_(source.narrow(0, at, p.numel()).view(p.shape).to(p.dtype, p.device));
                at += p.numel();
            }
        }
    }
}
