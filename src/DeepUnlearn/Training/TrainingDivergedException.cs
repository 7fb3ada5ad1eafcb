using System;

namespace DeepUnlearn.Training;

/// <summary>The training loss became NaN or infinite; the run stops and the last good checkpoint stays.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for a loss value seen at (epoch, step).</summary>
    public TrainingDivergedException(int epoch, int step, double loss)
        : base($"training diverged: the loss is {loss} at epoch {epoch}, step {step}; lower the learning rate (train.learning_rate) or check the data")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingDivergedException()
        : base("training diverged")
    {
    }

    /// <summary>The epoch of the bad step.</summary>
    public int Epoch { get; }

    /// <summary>The step within the epoch.</summary>
    public int Step { get; }

    /// <summary>The loss value.</summary>
    public double Loss { get; }
}
