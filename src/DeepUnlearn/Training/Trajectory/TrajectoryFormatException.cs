using System.IO;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// A trajectory file is unreadable (bad magic or version, truncated, corrupt), or a trajectory does
/// not belong to the model or dataset it is used with.
/// </summary>
public sealed class TrajectoryFormatException : IOException
{
    /// <summary>Creates the exception with a message that says what is wrong and what was expected.</summary>
    public TrajectoryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public TrajectoryFormatException()
        : base("invalid training trajectory")
    {
    }

    /// <summary>Creates the exception wrapping <paramref name="inner"/>.</summary>
    public TrajectoryFormatException(string message, System.Exception inner)
        : base(message, inner)
    {
    }
}
