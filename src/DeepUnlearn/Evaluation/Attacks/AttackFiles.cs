using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The files of the per-example attacks beside a report: <c>attacks.json</c> (every membership score and every
/// example's ε with its interval, for re-plotting and auditing) and <c>attack-roc.svg</c>.
/// </summary>
public static class AttackFiles
{
    /// <summary>The JSON with every score.</summary>
    public const string JsonFileName = "attacks.json";

    /// <summary>The ROC chart.</summary>
    public const string RocFileName = "attack-roc.svg";

    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, PerExampleAttackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        JsonFile.Write(Path.Combine(directory, JsonFileName), new
        {
            report,
            scores = report.ULira.Select(l => new { l.Method, l.Seeds, PositiveScores = l.PositiveScores, NegativeScores = l.NegativeScores }),
            epsilons = report.Epsilon.Select(e => new { e.Method, e.Examples }),
        });
        AtomicFile.WriteAllText(Path.Combine(directory, RocFileName), AttackRocChart.Svg(report.ULira));
    }
}
