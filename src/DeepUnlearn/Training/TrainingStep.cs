using DeepUnlearn.Models;

namespace DeepUnlearn.Training;

/// <summary>
/// What a step observer sees after the backward pass and before the optimizer update: the step's
/// position, the sample ids of its batch, the learning rate and the model (its parameters hold the
/// gradients of this batch). DeltaGrad's trajectory recording hooks in here.
/// </summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="Step">The step within the epoch.</param>
/// <param name="GlobalStep">The step counted from the start of training.</param>
/// <param name="Ids">Sample ids of the batch, in batch order.</param>
/// <param name="LearningRate">The learning rate of the update about to happen.</param>
/// <param name="Model">The model being trained.</param>
public readonly record struct TrainingStep(int Epoch, int Step, long GlobalStep, long[] Ids, double LearningRate, ClassifierModel Model);
