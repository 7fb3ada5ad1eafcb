using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A runner that trains nothing: every number is a deterministic function of the job (method, settings, request,
/// seed), every "model" a small text file. It exists to test a sweep's plumbing — sharding, locks, resumption,
/// merging — in seconds, on a laptop or on the cluster before real jobs are queued (<c>deepunlearn sweep
/// --synthetic</c>). Its results are labelled synthetic in every manifest and on every leaderboard.
/// </summary>
public sealed class SyntheticCellRunner : ICellRunner
{
    /// <summary>The runner name in manifests.</summary>
    public const string RunnerName = "synthetic";

    private readonly int _numClasses;

    /// <summary>A synthetic runner for a dataset of <paramref name="numClasses"/> classes.</summary>
    public SyntheticCellRunner(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        _numClasses = numClasses;
    }

    /// <inheritdoc />
    public EngineDescription Engine { get; } = new(RunnerName, "none", "none", 0);

    /// <summary>How long each simulated training sleeps (to exercise the locks); zero by default.</summary>
    public TimeSpan TrainingDelay { get; init; }

    /// <summary>The original's test accuracy to report (for the guard); by default a deterministic 90–95%.</summary>
    public double? OriginalTestAccuracy { get; init; }

    /// <summary>A directory in which every simulated training leaves one file (<c>{kind}-{hash}-{pid}-{guid}</c>), to count trainings.</summary>
    public string? TrainingLog { get; init; }

    /// <summary>The precision the made-up trainings claim (it enters the content keys as the engine's would); float32 by default.</summary>
    public PrecisionPolicy PrecisionPolicy { get; init; } = PrecisionPolicy.Off;

    /// <inheritdoc />
    public PrecisionPolicy Precision(RecipeModel model) => PrecisionPolicy;

    /// <summary>Cells whose id contains one of these strings throw, to exercise failure handling.</summary>
    public IReadOnlyList<string> FailingCells { get; init; } = [];

    /// <inheritdoc />
    public DataDescription DescribeData(string dataSpec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSpec);
        string name = dataSpec.Split(':', 2)[0];
        string[] classes = Enumerable.Range(0, _numClasses).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new DataDescription(CanonicalJson.Sha256Hex(Encoding.UTF8.GetBytes($"synthetic|{name}|{_numClasses}")), _numClasses, 1000 * _numClasses, 100 * _numClasses, classes);
    }

    /// <inheritdoc />
    public TrainedModel TrainOriginal(OriginalJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        string description = $"original|{job.Model.Name}|{CanonicalJson.Serialize(CanonicalJson.Object(job.Training))}|{job.Subset.Samples}|{job.Subset.Seed}";
        Train("original", description, outputDirectory, cancellationToken);
        double accuracy = OriginalTestAccuracy ?? 90 + (5 * Unit(description, "accuracy"));
        return new TrainedModel("model.txt", 100 + (20 * Unit(description, "seconds")), accuracy, new Dictionary<string, double>());
    }

    /// <inheritdoc />
    public TrainedModel TrainOracle(OracleJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        string description = string.Create(CultureInfo.InvariantCulture, $"oracle|{job.Original.Key}|{job.Request}|{job.Seed}");
        Train("oracle", description, outputDirectory, cancellationToken);
        return new TrainedModel("model.txt", 80 + (20 * Unit(description, "seconds")), null, new Dictionary<string, double>());
    }

    /// <inheritdoc />
    public CellMetrics RunCell(CellJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        if (FailingCells.Any(f => job.CellId.Contains(f, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"synthetic failure of {job.CellId} (asked for)");
        }
        bool classWise = job.Request.StartsWith("classes:", StringComparison.Ordinal);
        bool retrain = job.Method == Cell.Retrain;
        // Retrain's numbers depend on the request and seed only; a method's also on its settings.
        string what = retrain
            ? string.Create(CultureInfo.InvariantCulture, $"retrain|{job.Request}|{job.Seed}")
            : string.Create(CultureInfo.InvariantCulture, $"{job.Method}|{CanonicalJson.Serialize(CanonicalJson.Object(job.Settings))}|{job.Request}|{job.Seed}");
        double ua = retrain ? (classWise ? 100 : 5 + Unit(what, "ua")) : 100 * Unit(what, "ua");
        WriteAttackOutputs(job, what);
        return new CellMetrics
        {
            UnlearningAccuracy = ua,
            RetainAccuracy = 90 + (10 * Unit(what, "ra")),
            TestAccuracy = 85 + (10 * Unit(what, "ta")),
            ForgottenClassTestAccuracy = classWise ? (retrain ? 0 : 100 * Unit(what, "taf")) : null,
            ValidationAccuracy = 85 + (10 * Unit(what, "va")),
            MiaEfficacy = retrain ? (classWise ? 100 : 10 + Unit(what, "mia")) : 100 * Unit(what, "mia"),
            LossMiaEfficacy = 100 * Unit(what, "lossmia"),
            JsDivergenceForget = retrain ? 0 : Unit(what, "js") / 2,
            Seconds = retrain ? job.Oracle.Seconds : 1 + (20 * Unit(what, "seconds")),
        };
    }

    /// <summary>Forget examples and population samples of the synthetic attack outputs.</summary>
    private const int AttackExamples = 40;

    /// <summary>
    /// Synthetic <see cref="CellAttackOutputs"/> when the sweep asks for them: per forget example a base value (its
    /// difficulty) from the request; retrained models sit one unit below it with seeded noise, the original three above
    /// (memorised), a method at a residue in [0, 4) above the retrained level that depends on its settings.
    /// </summary>
    private static void WriteAttackOutputs(CellJob job, string what)
    {
        if (job.AttackReferenceModels is not int k)
        {
            return;
        }
        double[] Values(string model, double offset, bool forget) => Enumerable.Range(0, AttackExamples)
            .Select(i => (4 * Unit($"{job.Request}|{(forget ? "forget" : "population")}|{i}", "base")) - 2 + offset + (0.5 * Unit($"{model}|{i}|{forget}", "noise"))).ToArray();
        AttackModelOutputs Model(string role, ulong seed, string model, double forgetOffset) =>
            new(role, seed, Values(model, forgetOffset, forget: true), Values(model, 0, forget: false));
        var models = new List<AttackModelOutputs>();
        if (job.Method == Cell.Retrain)
        {
            models.Add(Model(AttackModelOutputs.Retrained, job.Seed, $"retrain|{job.Seed}", -1));
            models.Add(Model(AttackModelOutputs.Original, job.Seed, "original", 3));
            models.AddRange(job.AttackReferences.Select(r => Model(AttackModelOutputs.Reference, r.Seed, $"retrain|{r.Seed}", -1)));
        }
        else
        {
            models.Add(Model(AttackModelOutputs.Unlearned, job.Seed, what, -1 + (4 * Unit(what.Split('|')[0] + "|" + what.Split('|')[1], "residue"))));
        }
        int[] ids = Enumerable.Range(0, AttackExamples).ToArray();
        new CellAttackOutputs
        {
            Request = job.Request,
            ForgetOrder = CellAttackOutputs.Order(ids),
            PopulationOrder = CellAttackOutputs.Order(ids),
            ReferenceModels = job.Method == Cell.Retrain ? k : null,
            Models = models,
        }.Write(job.OutputDirectory);
    }

    /// <summary>A deterministic number in [0, 1) from a description and a salt.</summary>
    private static double Unit(string what, string salt)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(what + "#" + salt));
        return (BitConverter.ToUInt64(hash, 0) >> 11) * (1.0 / (1UL << 53));
    }

    private void Train(string kind, string description, string outputDirectory, CancellationToken cancellationToken)
    {
        if (TrainingDelay > TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(TrainingDelay);
            cancellationToken.ThrowIfCancellationRequested();
        }
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, "model.txt"), $"synthetic {kind}: {description}\n");
        if (TrainingLog is not null)
        {
            // One new file per training (no shared file to append to from several processes).
            Directory.CreateDirectory(TrainingLog);
            string hash = CanonicalJson.Sha256Hex(Encoding.UTF8.GetBytes(description))[..16];
            AtomicFile.WriteAllText(Path.Combine(TrainingLog, $"{kind}-{hash}-{Environment.ProcessId}-{Guid.NewGuid():N}"), description + "\n");
        }
    }
}
