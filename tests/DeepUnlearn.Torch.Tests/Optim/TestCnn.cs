using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Optim;

namespace DeepUnlearn.Torch.Tests.Optim;

/// <summary>The small CNN of the learning and leak tests: conv-relu-pool-conv-relu-pool-linear on 1×28×28.</summary>
internal static class TestCnn
{
    public static Sequential Create(ulong seed, long channels1 = 8, long channels2 = 16)
    {
        using var generator = new Generator(seed);
        return new Sequential(
            new Conv2d(1, channels1, 3, padding: 1, generator: generator),
            new ReLU(),
            new MaxPool2d(2),
            new Conv2d(channels1, channels2, 3, padding: 1, generator: generator),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(channels2 * 7 * 7, 10, generator: generator));
    }

    /// <summary>One training step: forward, cross-entropy, backward, optimizer step; returns the loss.</summary>
    public static double TrainStep(Module model, Optimizer optimizer, Tensor images, Tensor labels)
    {
        optimizer.ZeroGrad();
        Tensor loss = Functional.CrossEntropy(model.Forward(images), labels);
        loss.Backward();
        optimizer.Step();
        return loss.Item();
    }
}
