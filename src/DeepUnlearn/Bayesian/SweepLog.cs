using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Bayesian;

/// <summary>Source-generated log messages of <see cref="VbuSweep"/>.</summary>
internal static partial class SweepLog
{
    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "seed {Seed} {Method} λ = {Lambda}: KL on D_e {KlErased:G4}, on D_r {KlRemaining:G4}, posterior KL {KlPosterior:G4} ({Seconds:F1} s)")]
    public static partial void Row(ILogger logger, ulong seed, string method, string lambda, double klErased, double klRemaining, double klPosterior, double seconds);
}
