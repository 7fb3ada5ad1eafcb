using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Runs a protocol's cells (or one shard of them) into a sweep directory (<see cref="SweepDirectory"/>): ensures
/// the original (trained once, content-keyed, checked by <see cref="OriginalGuard"/>), runs the validation cells of
/// the hyper-parameter search, waits for every shard's search cells (running orphaned ones itself), chooses the
/// settings (<see cref="HyperparameterSearch"/>), then runs the reported cells. Each cell gets its oracle from the
/// <see cref="ArtefactStore"/> (trained once, concurrent cells wait on its lock), runs through the
/// <see cref="ICellRunner"/>, and is published atomically with its manifest. Finished cells are skipped, so a
/// preempted job resumes by running again; a failing cell is recorded and the sweep goes on.
/// </summary>
public sealed class SweepRunner
{
    private readonly ProtocolRecipe _recipe;
    private readonly string _root;
    private readonly ICellRunner _runner;
    private readonly SweepOptions _options;
    private readonly ArtefactStore _store;
    private readonly SweepPlan _plan;

    /// <summary>Prepares a sweep of <paramref name="recipe"/> into <paramref name="directory"/>.</summary>
    public SweepRunner(ProtocolRecipe recipe, string directory, ICellRunner runner, SweepOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(runner);
        _recipe = recipe;
        _root = Path.GetFullPath(directory);
        _runner = runner;
        _options = options ?? new SweepOptions();
        _plan = SweepPlan.Create(recipe);
        _store = new ArtefactStore(_options.OracleDirectory ?? SweepDirectory.Oracles(_root))
        {
            PollInterval = _options.PollInterval,
            Status = _options.Status,
        };
    }

    /// <summary>The cells of the recipe.</summary>
    public SweepPlan Plan => _plan;

    /// <summary>The artefact store in use.</summary>
    public ArtefactStore Store => _store;

    /// <summary>Runs this process's shard; returns what it did. Throws only for what stops every cell (bad data, a refused original).</summary>
    public SweepSummary Run(CancellationToken cancellationToken = default)
    {
        SweepDirectory.Initialize(_root, _recipe);
        string dataSpec = ResolveDataSpec();
        DataDescription data = _runner.DescribeData(dataSpec, cancellationToken);
        if (data.NumClasses != _recipe.Dataset.NumClasses)
        {
            throw new InvalidOperationException($"'{dataSpec}' has {data.NumClasses} classes; recipe '{_recipe.Name}' expects {_recipe.Dataset.NumClasses} ({_recipe.Dataset.Description ?? _recipe.Dataset.Name})");
        }
        Engine.PrecisionPolicy precision = _runner.Precision(_recipe.Model);
        ArtefactKey originalKey = ContentKeys.Original(_recipe, data, precision);
        var subset = new TrainSubset(_recipe.TrainSamples, _recipe.Original.Seed);
        Report($"original model {originalKey}");
        StoredArtefact original = _store.GetOrCreate(originalKey, _runner.Engine,
            (output, work, ct) => _runner.TrainOriginal(new OriginalJob(dataSpec, _recipe.Model, _recipe.Training, subset), output, work, ct),
            cancellationToken);
        OriginalCheck check = OriginalGuard.Check(_recipe, original, _options.AllowWeakOriginal);
        Report(check.Message);

        var context = new Context(dataSpec, data, original, originalKey, check, subset, precision);
        var tally = new Tally();
        IReadOnlyList<Cell> myValidation = _options.Shard.Select(_plan.Validation);
        IReadOnlyList<Cell> myReport = _options.Shard.Select(_plan.Report);
        int position = 0;
        int assigned = myValidation.Count + myReport.Count;
        foreach (Cell cell in myValidation)
        {
            tally.Add(cell.Id, RunCell(cell, null, context, ++position, assigned, cancellationToken), helping: false);
        }
        IReadOnlyList<SelectionRecord> selections = [];
        if (_plan.Validation.Count > 0)
        {
            CompleteValidation(context, tally, cancellationToken);
            selections = HyperparameterSearch.Select(_recipe, SweepDirectory.ReadCells(_root));
            JsonFile.Write(Path.Combine(_root, SweepDirectory.SelectionsFile), selections);
            foreach (SelectionRecord s in selections)
            {
                Report(s.Chosen is null
                    ? $"search of {s.Method} on '{s.ValidationRequest}' chose nothing: {s.Error}"
                    : $"search of {s.Method} on '{s.ValidationRequest}' chose {string.Join(", ", s.Chosen.Select(kv => $"{kv.Key}={kv.Value}"))}");
            }
        }
        foreach (Cell cell in myReport)
        {
            tally.Add(cell.Id, RunCell(cell, selections, context, ++position, assigned, cancellationToken), helping: false);
        }
        return new SweepSummary(_options.Shard, assigned, tally.Ran, tally.Skipped, tally.Helped, tally.Busy, tally.Failed, check, selections);
    }

    /// <summary>The canonical request of <paramref name="requestId"/> for <paramref name="seed"/> (random draws without @SEED use the seed).</summary>
    public string CanonicalRequest(string requestId, ulong seed) => ForgetRequest.Parse(_recipe.Request(requestId).Forget, seed).ToString();

    private string ResolveDataSpec()
    {
        string? spec = _options.DataSpec ?? _recipe.Dataset.Spec;
        if (spec is null)
        {
            throw new ArgumentException($"recipe '{_recipe.Name}' reads {_recipe.Dataset.Name} ({_recipe.Dataset.Description ?? "see data/README.md"}) from a directory: pass --data {_recipe.Dataset.Name}:/path/to/it");
        }
        string name = spec.Split(':', 2)[0].Trim().ToLowerInvariant();
        if (name != _recipe.Dataset.Name)
        {
            throw new ArgumentException($"--data '{spec}' is a {name} dataset; recipe '{_recipe.Name}' needs {_recipe.Dataset.Name} (e.g. --data {_recipe.Dataset.Name}:/path/to/it)");
        }
        return spec;
    }

    /// <summary>
    /// The barrier between the stages: waits until every validation cell is published (success or failure),
    /// running any that no process holds (a preempted shard's), so the search never waits on a dead job.
    /// </summary>
    private void CompleteValidation(Context context, Tally tally, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        bool reported = false;
        while (true)
        {
            Cell[] unfinished = _plan.Validation.Where(c => SweepDirectory.ReadCell(SweepDirectory.Cell(_root, c.Id)) is null).ToArray();
            if (unfinished.Length == 0)
            {
                return;
            }
            bool progressed = false;
            foreach (Cell cell in unfinished)
            {
                CellRun run = RunCell(cell, null, context, 0, 0, cancellationToken);
                if (run.Outcome is CellOutcome.Ran or CellOutcome.Failed)
                {
                    progressed = true;
                    tally.Add(cell.Id, run, helping: true);
                }
            }
            if (!progressed)
            {
                if (clock.Elapsed > _options.BarrierTimeout)
                {
                    throw new TimeoutException($"waited {_options.BarrierTimeout} for {unfinished.Length} validation cells other processes hold ({string.Join(", ", unfinished.Take(5).Select(c => c.Id))}…)");
                }
                if (!reported)
                {
                    Report($"waiting for {unfinished.Length} validation cells other shards are running (the search needs all of them)");
                    reported = true;
                }
                cancellationToken.WaitHandle.WaitOne(_options.PollInterval);
            }
        }
    }

    private CellRun RunCell(Cell cell, IReadOnlyList<SelectionRecord>? selections, Context context, int position, int total, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string final = SweepDirectory.Cell(_root, cell.Id);
        string label = total > 0 ? string.Create(CultureInfo.InvariantCulture, $"[{position}/{total}] {cell.Id}") : $"[helping] {cell.Id}";
        bool done = SweepDirectory.ReadCell(final) is { Ok: true };
        if (done && !LacksAttackOutputs(cell, final))
        {
            Report($"{label}: done already, skipped");
            return new CellRun(CellOutcome.Skipped, null);
        }
        using FileLock? held = FileLock.TryAcquire(SweepDirectory.CellLock(_root, cell.Id));
        if (held is null)
        {
            Report($"{label}: running in another process ({FileLock.Holder(SweepDirectory.CellLock(_root, cell.Id))}), skipped");
            return new CellRun(CellOutcome.Busy, null);
        }
        if (SweepDirectory.ReadCell(final) is { Ok: true } && !LacksAttackOutputs(cell, final))
        {
            return new CellRun(CellOutcome.Skipped, null);
        }
        Report(done ? $"{label}: done, but without the attack outputs this sweep asks for (--attacks, K = {_options.Attacks!.ReferenceModels}): running again" : $"{label}: running");
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string temp = Path.Combine(SweepDirectory.Cells(_root), $".tmp-{cell.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        IReadOnlyDictionary<string, string> settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? request = null;
        string? oracleKey = null;
        CellMetrics? metrics = null;
        string? error = null;
        try
        {
            settings = ResolveSettings(cell, selections);
            request = CanonicalRequest(cell.RequestId, cell.Seed);
            var (key, oracle) = Oracle(context, request, cell.Seed, cancellationToken);
            oracleKey = key.Hash;
            metrics = _runner.RunCell(
                WithAttacks(new CellJob(cell.Id, context.DataSpec, context.Original.AsModel(), oracle.AsModel(), cell.Method, settings, request, context.Subset, cell.Seed, temp), cell, context, cancellationToken),
                cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing cell is a result to record (the issue's contract: reported, not fatal); the sweep goes on.
            error = $"{e.GetType().Name}: {e.Message}";
        }
        var manifest = new CellManifest
        {
            CellId = cell.Id,
            Stage = cell.Stage == CellStage.Validation ? "validation" : "report",
            Method = cell.Method,
            Settings = settings,
            GridPoint = cell.GridPoint,
            GridIndex = cell.GridIndex,
            RequestId = cell.RequestId,
            Request = request,
            Seed = cell.Seed,
            Recipe = _recipe.Name,
            RecipeHash = _recipe.Hash,
            Scale = _recipe.Scale,
            ScaleDescription = _recipe.ScaleDescription,
            Status = error is null ? CellManifest.StatusOk : CellManifest.StatusFailed,
            Error = error,
            DataFingerprint = context.Data.Fingerprint,
            Original = context.Check,
            OracleKey = oracleKey,
            Engine = _runner.Engine,
            Shard = _options.Shard.ToString(),
            StartedUtc = started,
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
        if (metrics is not null)
        {
            JsonFile.Write(Path.Combine(temp, SweepDirectory.MetricsFile), metrics);
        }
        JsonFile.Write(Path.Combine(temp, SweepDirectory.ManifestFile), manifest);
        SweepDirectory.Publish(temp, final);
        Report(error is null
            ? string.Create(CultureInfo.InvariantCulture, $"{label}: done in {clock.Elapsed.TotalSeconds:F1} s")
            : $"{label}: FAILED: {error}");
        return new CellRun(error is null ? CellOutcome.Ran : CellOutcome.Failed, error);
    }

    /// <summary>The retrained oracle of <paramref name="request"/> with <paramref name="seed"/>: from the store, or trained once into it.</summary>
    private (ArtefactKey Key, StoredArtefact Oracle) Oracle(Context context, string request, ulong seed, CancellationToken cancellationToken)
    {
        ArtefactKey key = ContentKeys.Oracle(_recipe, context.OriginalKey, request, seed, context.Precision);
        StoredArtefact oracle = _store.GetOrCreate(key, _runner.Engine,
            (output, work, ct) => _runner.TrainOracle(new OracleJob(context.DataSpec, context.Original.AsModel(), request, context.Subset, seed), output, work, ct),
            cancellationToken);
        return (key, oracle);
    }

    /// <summary>Whether <paramref name="cell"/> records attack outputs in this sweep: its reported cells, with <c>--attacks</c>.</summary>
    private bool RecordsAttacks(Cell cell) => _options.Attacks is not null && cell.Stage == CellStage.Report;

    /// <summary>
    /// Whether a finished cell lacks the attack outputs this sweep asks for (it ran without <c>--attacks</c>, or, a retrain
    /// cell, with another K): it runs again, its oracle and references coming from the store.
    /// </summary>
    private bool LacksAttackOutputs(Cell cell, string final)
    {
        if (!RecordsAttacks(cell))
        {
            return false;
        }
        try
        {
            CellAttackOutputs? outputs = CellAttackOutputs.Read(final);
            return outputs is null || (cell.IsRetrain && outputs.ReferenceModels != _options.Attacks!.ReferenceModels);
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    /// <summary>
    /// <paramref name="job"/> with what the per-example attacks need from it. A retrain cell also records the extra
    /// reference retrains of its request: K minus the other reported seeds that draw the same forget set (their oracles
    /// are references already), with seeds from <see cref="PerExampleAttackOptions.ReferenceSeedStart"/> up that no
    /// reported seed uses, each an oracle of the store under the same content key as any oracle, so shards and re-runs
    /// share them and each is trained once.
    /// </summary>
    private CellJob WithAttacks(CellJob job, Cell cell, Context context, CancellationToken cancellationToken)
    {
        if (!RecordsAttacks(cell))
        {
            return job;
        }
        PerExampleAttackOptions attacks = _options.Attacks!;
        if (!cell.IsRetrain)
        {
            return job with { AttackReferenceModels = attacks.ReferenceModels };
        }
        int sameForgetSet = _recipe.Seeds.Count(s => CanonicalRequest(cell.RequestId, s) == job.Request);
        int extra = PerExampleAttacks.ExtraReferencesNeeded(attacks.ReferenceModels, sameForgetSet);
        IReadOnlyList<ulong> seeds = ReferenceRetrains.Seeds(extra, attacks.ReferenceSeedStart, _recipe.Seeds);
        var references = new List<ReferenceOracle>();
        foreach (ulong seed in seeds)
        {
            Report($"{cell.Id}: attack reference {references.Count + 1}/{seeds.Count} (oracle of '{job.Request}' with seed {seed})");
            references.Add(new ReferenceOracle(seed, Oracle(context, job.Request, seed, cancellationToken).Oracle.AsModel()));
        }
        return job with { AttackReferenceModels = attacks.ReferenceModels, AttackReferences = references };
    }

    private IReadOnlyDictionary<string, string> ResolveSettings(Cell cell, IReadOnlyList<SelectionRecord>? selections)
    {
        if (cell.IsRetrain)
        {
            return new SortedDictionary<string, string>(StringComparer.Ordinal);
        }
        RecipeMethod method = _recipe.Method(cell.Method);
        return cell.Stage == CellStage.Validation
            ? method.SettingsWith(cell.GridPoint)
            : HyperparameterSearch.SettingsFor(method, _recipe.Request(cell.RequestId), selections ?? []);
    }

    private void Report(string line) => _options.Status?.Report(_options.Shard.Count > 1 ? $"[shard {_options.Shard}] {line}" : line);

    private enum CellOutcome
    {
        Ran,
        Skipped,
        Busy,
        Failed,
    }

    private sealed record CellRun(CellOutcome Outcome, string? Error);

    private sealed record Context(string DataSpec, DataDescription Data, StoredArtefact Original, ArtefactKey OriginalKey, OriginalCheck Check, TrainSubset Subset, Engine.PrecisionPolicy Precision);

    private sealed class Tally
    {
        public int Ran { get; private set; }

        public int Skipped { get; private set; }

        public int Helped { get; private set; }

        public List<string> Busy { get; } = [];

        public List<(string CellId, string Error)> Failed { get; } = [];

        public void Add(string id, CellRun run, bool helping)
        {
            switch (run.Outcome)
            {
                case CellOutcome.Ran when helping:
                    Helped++;
                    break;
                case CellOutcome.Ran:
                    Ran++;
                    break;
                case CellOutcome.Skipped:
                    Skipped++;
                    break;
                case CellOutcome.Busy:
                    Busy.Add(id);
                    break;
                default:
                    Failed.Add((id, run.Error ?? "unknown error"));
                    break;
            }
        }
    }
}
