using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Protocols;

/// <summary>
/// <see cref="ICellRunner"/> on the toolkit's engine, through the machinery <c>train</c>, <c>unlearn</c> and
/// <c>compare</c> use: <see cref="Trainer"/> for the original (resumable from the work directory; the checkpoint
/// with the best validation accuracy is kept, as SalUn keeps <c>0model_SA_best</c>), <c>retrain</c> from the method
/// registry for the oracles, and for a cell the registered method on an <see cref="UnlearningContext"/> evaluated by
/// <see cref="UnlearningEvaluator"/> against the oracle. This file is the only place of the protocol layer that
/// touches tensors: re-wire it, and only it, when the engine changes.
/// </summary>
public sealed class EngineCellRunner : ICellRunner
{
    private const string ModelFile = "model.safetensors";
    private const int EvaluationBatch = 512;

    private readonly Device _device;
    private readonly int _workers;
    private readonly ILoggerFactory _logging;
    private readonly Dictionary<(string Spec, double Fraction, ulong Seed), VisionData> _data = [];

    /// <summary>A runner on <paramref name="device"/> with <paramref name="workers"/> loader threads.</summary>
    public EngineCellRunner(Device device, int workers = 2, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        _device = device;
        _workers = workers;
        _logging = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    public EngineDescription Engine => new("engine", TorchRuntime.EnsureInitialized().LibTorchVersion, _device.ToString(), torch.get_num_threads());

    /// <summary>
    /// Mixed precision and channels-last for the original, the oracles and the methods (as <c>--amp</c> and
    /// <c>--channels-last</c> of <c>train</c> and <c>unlearn</c>); null: float32, contiguous. The resolved policy is part
    /// of the content keys (<see cref="Precision(RecipeModel)"/>).
    /// </summary>
    public PrecisionOptions? PrecisionOptions { get; init; }

    /// <summary>Progress of trainings (original and oracles).</summary>
    public IProgress<TrainingProgress>? TrainingProgress { get; init; }

    /// <summary>Progress inside methods.</summary>
    public IProgress<UnlearningProgress>? MethodProgress { get; init; }

    /// <inheritdoc />
    public PrecisionPolicy Precision(RecipeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (PrecisionOptions is null)
        {
            return PrecisionPolicy.Off;
        }
        // Whether the architecture has 2-D convolutions decides channels-last under auto; sizes do not change that.
        using ClassifierModel probe = ModelRegistry.Create(model.Name, new ModelOptions { Stem = Stem(model) });
        return PrecisionOptions.Resolve(_device, probe);
    }

    /// <summary>
    /// Hashes the sizes, class names, image shape and every label of both splits (not the pixels: decoding a whole
    /// ImageNet folder would take longer than a cell). A relabelled, resized or re-split dataset changes it.
    /// </summary>
    public DataDescription DescribeData(string dataSpec, CancellationToken cancellationToken)
    {
        IVisionDataset train = DatasetCatalog.Open(dataSpec, DatasetSplit.Train, _logging);
        IVisionDataset test = DatasetCatalog.Open(dataSpec, DatasetSplit.Test, _logging);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (IVisionDataset split in new[] { train, test })
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(Encoding.UTF8.GetBytes($"{split.Count}|{split.Channels}|{string.Join("\u001f", split.ClassNames)}|"));
            hash.AppendData(MemoryMarshal.AsBytes(split.Labels.Span));
        }
        return new DataDescription(Convert.ToHexStringLower(hash.GetHashAndReset()), train.NumClasses, train.Count, test.Count, train.ClassNames.ToArray());
    }

    /// <inheritdoc />
    public TrainedModel TrainOriginal(OriginalJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        TrainingConfig config = RecipeVocabulary.TrainingConfig(job.Training) with { Seed = job.Subset.Seed, Workers = _workers };
        Seed(config.Seed);
        VisionData data = Data(job.DataSpec, config.ValidationFraction, config.Seed);
        int[] trainIds = TrainIds(data, job.Subset);
        using ClassifierModel model = ModelRegistry.Create(job.Model.Name, new ModelOptions
        {
            NumClasses = data.Train.NumClasses,
            InChannels = data.Train.Channels,
            ImageSize = data.ImageSize,
            Stem = Stem(job.Model),
            Seed = config.Seed,
        });
        PrecisionPolicy precision = PrecisionOptions?.Resolve(_device, model) ?? PrecisionPolicy.Off;
        ModelPlacement.MoveTo(model, _device);
        var metadata = new CheckpointMetadata
        {
            Model = model.Spec!,
            Dataset = job.DataSpec,
            ClassNames = data.Train.ClassNames.ToArray(),
            NormalizationMean = data.Train.Normalization.Mean.ToArray(),
            NormalizationStd = data.Train.Normalization.Std.ToArray(),
        };
        TrainingResult result;
        using (DataLoader trainLoader = data.TrainLoader(trainIds, training: true, config.BatchSize, config.Seed, _device, _workers, config.Augment))
        using (DataLoader validationLoader = data.TrainLoader(data.Split.Validation, training: false, config.BatchSize * 2, config.Seed, _device, _workers))
        {
            var trainer = new Trainer(_logging.CreateLogger<Trainer>());
            result = trainer.Fit(model, trainLoader, validationLoader, config, new TrainingOptions
            {
                CheckpointDirectory = workDirectory,
                Resume = true,
                Metadata = metadata,
                Progress = TrainingProgress,
                Precision = precision,
            }, cancellationToken);
        }
        string best = Path.Combine(workDirectory, Trainer.BestCheckpoint);
        string chosen = File.Exists(best) ? best : Path.Combine(workDirectory, Trainer.LastCheckpoint);
        AtomicFile.Copy(chosen, Path.Combine(outputDirectory, ModelFile));
        var (kept, _) = Checkpoint.Load(chosen, _device);
        double accuracy;
        using (kept)
        using (DataLoader testLoader = data.TestLoader(EvaluationBatch, _device, workers: _workers))
        {
            accuracy = ModelEvaluator.Predict(kept, testLoader, cancellationToken).AccuracyPercent();
        }
        var facts = new Dictionary<string, double>
        {
            ["epochs"] = config.Epochs,
            ["resumed_after_epoch"] = result.StartEpoch,
            ["train_samples"] = trainIds.Length,
            ["kept_best_validation"] = chosen == best ? 1 : 0,
        };
        if (result.BestValidationAccuracy is double bestValidation)
        {
            facts["best_validation_accuracy"] = bestValidation;
        }
        return new TrainedModel(ModelFile, result.Seconds, accuracy, facts);
    }

    /// <inheritdoc />
    public TrainedModel TrainOracle(OracleJob job, string outputDirectory, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using UnlearningSession session = Open(job.DataSpec, job.Original, job.Request, job.Subset);
        Seed(job.Seed);
        IUnlearningMethod retrain = MethodRegistry.Create(Cell.Retrain);
        using UnlearningOutcome outcome = retrain.Run(session.Context(job.Seed, MethodProgress), cancellationToken);
        Checkpoint.Save(Path.Combine(outputDirectory, ModelFile), outcome.Model, session.MetadataFor(Cell.Retrain, outcome.Model) with { Seconds = outcome.Seconds });
        return new TrainedModel(ModelFile, outcome.Seconds, null, outcome.Diagnostics);
    }

    /// <inheritdoc />
    public CellMetrics RunCell(CellJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using UnlearningSession session = Open(job.DataSpec, job.Original, job.Request, job.Subset);
        UnlearningContext context = session.Context(job.Seed, MethodProgress);
        var evaluator = new UnlearningEvaluator(context, EvaluationBatch);
        var (oracle, oracleMetadata) = Checkpoint.Load(job.Oracle.File, _device);
        using (oracle)
        {
            CheckpointCompatibility.EnsureSameModel(session.CheckpointPath, session.Metadata, "the retrain oracle", job.Oracle.File, oracleMetadata);
            ModelEvaluation oracleEvaluation = evaluator.Evaluate(oracle, cancellationToken);
            UnlearningMetrics oracleMetrics = evaluator.Metrics(Cell.Retrain, oracleEvaluation, job.Oracle.Seconds);
            if (job.Method == Cell.Retrain)
            {
                UnlearningMetrics self = UnlearningEvaluator.CompareToRetrained(oracleMetrics, oracleEvaluation, oracleMetrics, oracleEvaluation);
                RecordAttackOutputs(job, context, oracleEvaluation, AttackModelOutputs.Retrained, cancellationToken);
                return ToCellMetrics(self, ValidationAccuracy(oracle, context, cancellationToken));
            }
            var (entry, label) = MethodRegistry.FindLabel(job.Method);
            IUnlearningMethod method = entry.Factory(RecipeVocabulary.MethodOptions(label, job.Settings));
            Seed(job.Seed);
            using UnlearningOutcome outcome = method.Run(context, cancellationToken);
            ModelEvaluation evaluation = evaluator.Evaluate(outcome.Model, cancellationToken);
            RecordAttackOutputs(job, context, evaluation, AttackModelOutputs.Unlearned, cancellationToken);
            UnlearningMetrics metrics = evaluator.Metrics(label, evaluation, outcome.Seconds, outcome.Diagnostics);
            metrics = UnlearningEvaluator.CompareToRetrained(metrics, evaluation, oracleMetrics, oracleEvaluation);
            return ToCellMetrics(metrics, ValidationAccuracy(outcome.Model, context, cancellationToken)) with { Qualifier = outcome.Qualifier };
        }
    }

    /// <summary>
    /// Seeds the global generator before each unit of work, as <c>train</c> does: library code draws from its own
    /// seeded generators, but anything left on the global one then depends on the cell alone, not on which cells this
    /// process ran before (so a sharded sweep and a single process give the same results).
    /// </summary>
    private static void Seed(ulong seed) => torch.manual_seed(unchecked((long)seed)).Dispose();

    private static CellMetrics ToCellMetrics(UnlearningMetrics m, double? validationAccuracy) => new()
    {
        UnlearningAccuracy = m.UnlearningAccuracy,
        RetainAccuracy = m.RetainAccuracy,
        TestAccuracy = m.TestAccuracy,
        ForgottenClassTestAccuracy = m.ForgottenClassTestAccuracy,
        ValidationAccuracy = validationAccuracy,
        MiaEfficacy = m.MiaEfficacy,
        MiaDegenerate = m.MiaDegenerate,
        LossMiaEfficacy = m.LossMiaEfficacy,
        JsDivergenceForget = m.JsDivergenceForget,
        JsDivergenceTest = m.JsDivergenceTest,
        DistanceToOriginal = m.DistanceToOriginal,
        DistanceToOracle = m.DistanceToRetrained,
        Seconds = m.Seconds,
        Diagnostics = m.Diagnostics,
    };

    /// <summary>
    /// Writes the cell's <see cref="CellAttackOutputs"/> when the sweep runs the per-example attacks: φ of the cell's model
    /// from its evaluation (the forget set; the test set, remaining classes only for a class-wise request, as the
    /// population), and for a retrain cell also φ of the original ("do nothing") and of each extra reference retrain,
    /// predicted in the same order (checked by ids).
    /// </summary>
    private void RecordAttackOutputs(CellJob job, UnlearningContext context, ModelEvaluation evaluation, string role, CancellationToken cancellationToken)
    {
        if (job.AttackReferenceModels is not int k)
        {
            return;
        }
        int[] forgetIds = evaluation.Forget.Ids;
        int[] populationIds = evaluation.Test.Ids;
        ModelOutputs own = ModelOutputs.Of(evaluation.Forget, evaluation.Test);
        var models = new List<AttackModelOutputs> { new(role, job.Seed, own.Forget, own.Population) };
        AttackModelOutputs Other(string otherRole, ulong seed, ClassifierModel model)
        {
            var (forget, population, outputs) = ReferenceRetrains.Outputs(model, context, cancellationToken);
            if (!forget.AsSpan().SequenceEqual(forgetIds) || !population.AsSpan().SequenceEqual(populationIds))
            {
                throw new InvalidOperationException($"the {otherRole} model's forget or population samples came in another order than the cell's; the per-example attacks need one order");
            }
            return new AttackModelOutputs(otherRole, seed, outputs.Forget, outputs.Population);
        }
        if (role == AttackModelOutputs.Retrained)
        {
            models.Add(Other(AttackModelOutputs.Original, job.Seed, context.Original));
            foreach (ReferenceOracle reference in job.AttackReferences)
            {
                var (model, metadata) = Checkpoint.Load(reference.Model.File, _device);
                using (model)
                {
                    CheckpointCompatibility.EnsureSameModel(job.Original.File, Checkpoint.ReadMetadata(job.Original.File), "an attack reference retrain", reference.Model.File, metadata);
                    models.Add(Other(AttackModelOutputs.Reference, reference.Seed, model));
                }
            }
        }
        new CellAttackOutputs
        {
            Request = job.Request,
            ForgetOrder = CellAttackOutputs.Order(forgetIds),
            PopulationOrder = CellAttackOutputs.Order(populationIds),
            ReferenceModels = role == AttackModelOutputs.Retrained ? k : null,
            Models = models,
        }.Write(job.OutputDirectory);
    }

    /// <summary>Accuracy on the held-out validation split (remaining classes only for class-wise requests), or null without one.</summary>
    private double? ValidationAccuracy(ClassifierModel model, UnlearningContext context, CancellationToken cancellationToken)
    {
        if (context.ValidationIds.Length == 0)
        {
            return null;
        }
        Predictions predictions;
        using (DataLoader loader = context.Loader(context.ValidationIds, EvaluationBatch, shuffle: false, augment: false))
        {
            predictions = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        if (context.IsClassWise)
        {
            var forgotten = new HashSet<int>(context.ForgottenClasses);
            predictions = predictions.WhereLabel(c => !forgotten.Contains(c));
        }
        return predictions.Count == 0 ? null : predictions.AccuracyPercent();
    }

    /// <summary>
    /// The original, its data and the request resolved over the protocol's training ids, as <c>unlearn</c> and
    /// <c>compare</c> open them (<see cref="UnlearningSession"/>: the split redrawn with the original's seed and
    /// fraction, its classes checked against the data's).
    /// </summary>
    private UnlearningSession Open(string dataSpec, ModelArtefact original, string request, TrainSubset subset)
    {
        TrainingConfig recipe = Checkpoint.ReadMetadata(original.File).Config
            ?? throw new InvalidDataException($"'{original.File}' records no training config; it is not an original from a sweep");
        int[] trainIds = TrainIds(Data(dataSpec, recipe.ValidationFraction, recipe.Seed), subset);
        return UnlearningSession.Open(original.File, dataSpec, ForgetRequest.Parse(request), _device, _workers, _logging, trainIds, PrecisionOptions);
    }

    private static ModelStem? Stem(RecipeModel model) => model.Stem switch { "cifar" => ModelStem.Cifar, "imagenet" => ModelStem.ImageNet, _ => null };

    private VisionData Data(string spec, double validationFraction, ulong seed)
    {
        if (!_data.TryGetValue((spec, validationFraction, seed), out VisionData? data))
        {
            data = VisionData.Open(spec, validationFraction, seed, loggerFactory: _logging);
            _data[(spec, validationFraction, seed)] = data;
        }
        return data;
    }

    /// <summary>The training ids of the protocol: the split's, or a class-stratified subset drawn with the original's seed.</summary>
    private static int[] TrainIds(VisionData data, TrainSubset subset)
    {
        if (subset.Samples is not int samples || samples >= data.Split.Train.Length)
        {
            return data.Split.Train;
        }
        // A stratified random "request" of that size is exactly a class-stratified subset; reuse its draw.
        ForgetSets draw = ForgetRequest.RandomCount(samples, subset.Seed, stratified: true).Resolve(data.Train, data.Split.Train);
        return draw.Forget;
    }
}
