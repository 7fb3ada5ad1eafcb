using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Torch;

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
            using var scope = TensorScope.Begin();
            Tensor[] parameters = step.Model.TrainableParameters().ToArray();
            trajectory.Append(step.Ids, step.LearningRate, FlattenParameters(parameters), FlattenGradients(parameters));
        };
    }

    /// <summary>The parameters concatenated into one flat vector (a new tensor, no autograd graph).</summary>
    public static Tensor FlattenParameters(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = TensorScope.Begin();
        return scope.Keep(Tensor.Cat(parameters.Select(p => p.Detach().Reshape(-1)).ToArray()));
    }

    /// <summary>The parameters' gradients concatenated like <see cref="FlattenParameters"/> (zeros where a gradient is missing).</summary>
    public static Tensor FlattenGradients(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = TensorScope.Begin();
        return scope.Keep(Tensor.Cat(parameters.Select(p => (p.Grad ?? p.Detach().ZerosLike()).Reshape(-1)).ToArray()));
    }

    /// <summary>Copies the flat vector <paramref name="flat"/> back into the parameters, in order.</summary>
    public static void LoadParameters(Tensor flat, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(flat);
        ArgumentNullException.ThrowIfNull(parameters);
        long total = parameters.Sum(p => p.NumEl);
        if (flat.NumEl != total)
        {
            throw new ArgumentException($"the flat vector has {flat.NumEl} values for {total} parameters", nameof(flat));
        }
        using var scope = TensorScope.Begin();
        using (LibTorch.NoGrad())
        {
            long at = 0;
            Tensor source = flat.Reshape(-1);
            foreach (Tensor p in parameters)
            {
                p.CopyFrom(source.Narrow(0, at, p.NumEl).View(p.ShapeArray()).To(p.Device, p.DType));
                at += p.NumEl;
            }
        }
    }
}
