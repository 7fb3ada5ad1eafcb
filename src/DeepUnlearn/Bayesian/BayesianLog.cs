using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Bayesian;

/// <summary>Source-generated log messages of the Bayesian code.</summary>
internal static partial class BayesianLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "{Objective} step {Step}/{Steps}: {Value}")]
    public static partial void Progress(ILogger logger, string objective, int step, int steps, double value);
}
