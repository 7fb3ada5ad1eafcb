using System;
using System.Globalization;

namespace DeepUnlearn.Cli;

/// <summary>
/// The tail of a progress line, the same for training, retraining and unlearning: "loss 0.1234 1,530 img/s ETA 0:42".
/// Throughput in images per second when known, else in steps per second; ETA when known; each part left out when not.
/// </summary>
internal static class ProgressText
{
    /// <summary>The tail; NaN/null arguments leave their part out.</summary>
    public static string Tail(double loss, double imagesPerSecond, double stepsPerSecond, TimeSpan? eta)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new System.Collections.Generic.List<string>(3);
        if (!double.IsNaN(loss))
        {
            parts.Add(string.Create(inv, $"loss {loss:F4}"));
        }
        if (imagesPerSecond > 0 && !double.IsInfinity(imagesPerSecond))
        {
            parts.Add(string.Create(inv, $"{imagesPerSecond:N0} img/s"));
        }
        else if (stepsPerSecond > 0 && !double.IsInfinity(stepsPerSecond))
        {
            parts.Add(stepsPerSecond >= 10 ? string.Create(inv, $"{stepsPerSecond:N0} it/s") : string.Create(inv, $"{stepsPerSecond:F2} it/s"));
        }
        if (eta is TimeSpan t && t >= TimeSpan.Zero)
        {
            parts.Add("ETA " + Duration(t));
        }
        return string.Join(" ", parts);
    }

    /// <summary>m:ss below an hour, h:mm:ss above.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// Rates and ETA of a phase from its own clock: <paramref name="steps"/> and <paramref name="images"/> done since the
    /// phase's first report, over <paramref name="elapsed"/>; <paramref name="remaining"/> steps left.
    /// </summary>
    public static (double ImagesPerSecond, double StepsPerSecond, TimeSpan? Eta) Measure(int steps, long images, TimeSpan elapsed, int remaining)
    {
        if (steps <= 0 || elapsed <= TimeSpan.Zero)
        {
            return (double.NaN, double.NaN, null);
        }
        double seconds = elapsed.TotalSeconds;
        double stepRate = steps / seconds;
        TimeSpan? eta = remaining >= 0 ? TimeSpan.FromSeconds(Math.Round(remaining / stepRate)) : null;
        return (images > 0 ? images / seconds : double.NaN, stepRate, eta);
    }
}
