using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn vbu fit|unlearn|evaluate</c>: variational Bayesian unlearning (Nguyen, Low and Jaillet,
/// NeurIPS 2020) of Bayesian logistic regression and sparse-GP classifiers.
/// </summary>
/// <remarks>
/// Every output folder holds <c>posterior.safetensors</c> (model and Gaussian posterior), <c>run.json</c>,
/// <c>metrics.json</c> and <c>excluded_ids.txt</c> (ids of the data set the posterior has not seen, empty
/// for a full fit). <c>unlearn</c> adds <c>erased_ids.txt</c> (this request) and
/// <c>full_posterior.safetensors</c> (the posterior it started from), which <c>evaluate</c> uses to show
/// the full-data baseline next to the unlearned posterior.
/// </remarks>
internal static class VbuCommand
{
    private const string PosteriorFileName = "posterior.safetensors";
    private const string FullPosteriorFileName = "full_posterior.safetensors";
    private const string ExcludedFileName = "excluded_ids.txt";
    private const string ErasedFileName = "erased_ids.txt";

    public static Command Create()
    {
        var command = new Command("vbu", "Variational Bayesian unlearning (Nguyen, Low and Jaillet, NeurIPS 2020): EUBO and reverse-KL unlearning of Bayesian classifiers.");
        command.Subcommands.Add(CreateFit());
        command.Subcommands.Add(CreateUnlearn());
        command.Subcommands.Add(CreateEvaluate());
        command.Subcommands.Add(VbuSweepCommand.Create());
        return command;
    }

    /// <summary>--fashion-classes, shared by fit and sweep.</summary>
    internal static Option<string?> FashionClassesOption() => new("--fashion-classes")
    {
        Description = "fashion-mnist: keep only these classes (comma-separated labels 0..9, e.g. 0,6 for T-shirt/top vs Shirt), relabelled 0, 1, ... in that order.",
    };

    /// <summary>--fashion-rows, shared by fit and sweep.</summary>
    internal static Option<int?> FashionRowsOption() => new("--fashion-rows")
    {
        Description = "fashion-mnist: keep this many rows (a fixed random subset, after --fashion-classes; ids stay Fashion-MNIST's).",
    };

    private static Command CreateFit()
    {
        var data = new Option<string>("--data") { Description = "moons, fashion-mnist or csv:FILE (features then the label in the last column; header optional).", Required = true };
        var modelName = new Option<string>("--model") { Description = "logistic-regression or sparse-gp (binary).", DefaultValueFactory = _ => BayesianLogisticRegression.RegistryName };
        var posterior = new Option<string>("--posterior") { Description = "The variational family: diag or full.", DefaultValueFactory = _ => "diag" };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var exclude = new Option<string?>("--exclude-ids") { Description = "File of row ids to leave out (one per line or separated by commas/spaces): fit the retrained baseline q(θ|D_r)." };
        var steps = new Option<int>("--steps") { Description = "Adam steps.", DefaultValueFactory = _ => 3000 };
        var lr = new Option<double>("--lr") { Description = "Adam's initial learning rate (cosine-annealed to 0).", DefaultValueFactory = _ => 0.05 };
        var samples = new Option<int>("--samples") { Description = "Monte-Carlo samples of θ per step.", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per step (0 = all; default: all up to 2,000 rows, else 500)." };
        var priorStd = new Option<double>("--prior-std") { Description = "Logistic regression: prior standard deviation of each weight.", DefaultValueFactory = _ => 10.0 };
        var inducing = new Option<int>("--inducing") { Description = "Sparse GP: inducing inputs (k-means centres of the training inputs).", DefaultValueFactory = _ => 20 };
        var lengthScale = new Option<double?>("--length-scale") { Description = "Sparse GP: kernel length scale (default: median distance between inducing inputs)." };
        var variance = new Option<double>("--variance") { Description = "Sparse GP: kernel variance σ_f².", DefaultValueFactory = _ => 4.0 };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from the posterior of this fit folder (same model and data; e.g. a diag fit before a full one) instead of N(0, 0.1² I)." };
        var inducingFrom = new Option<string?>("--inducing-from") { Description = "Sparse GP: reuse the inducing inputs and kernel of this fit folder (so a retrained model is the same model)." };
        var moonsCount = new Option<int>("--moons-count") { Description = "moons: rows.", DefaultValueFactory = _ => 200 };
        var moonsNoise = new Option<double>("--moons-noise") { Description = "moons: noise standard deviation.", DefaultValueFactory = _ => 0.2 };
        var moonsSeed = new Option<int>("--moons-seed") { Description = "moons: data seed.", DefaultValueFactory = _ => 0 };
        var fashionBlock = new Option<int>("--fashion-block") { Description = "fashion-mnist: features are the means of s×s pixel blocks of pixel/255 (s divides 28).", DefaultValueFactory = _ => FashionMnistFeatures.DefaultBlock };
        var fashionDir = new Option<string?>("--fashion-dir") { Description = "fashion-mnist: folder of the IDX files (default: Debian's /usr/share/datasets/fashion-mnist)." };
        var fashionClasses = FashionClassesOption();
        var fashionRows = FashionRowsOption();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the Monte-Carlo samples, minibatches and inducing inputs.", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (these models are small: 1 is usually fastest).", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = $"The device of the tensors: {DeviceResolver.ValidSpecs}.", DefaultValueFactory = _ => "cpu" };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("fit", "Fit q(θ|D) by variational inference (maximise the ELBO with Adam).")
        {
            data, modelName, posterior, output, exclude, steps, lr, samples, batch, priorStd, inducing, lengthScale, variance, initFrom, inducingFrom,
            moonsCount, moonsNoise, moonsSeed, fashionBlock, fashionDir, fashionClasses, fashionRows, seed, threads, device, overwrite,
        };
        command.SetAction(parse =>
        {
            VbuDataSpec spec;
            PosteriorKind kind;
            try
            {
                spec = VbuDataSpec.Parse(parse.GetValue(data)!, parse.GetValue(moonsCount), parse.GetValue(moonsNoise), parse.GetValue(moonsSeed), parse.GetValue(fashionBlock), parse.GetValue(fashionDir), parse.GetValue(fashionClasses), parse.GetValue(fashionRows));
                kind = Gaussian.ParseKind(parse.GetValue(posterior)!);
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }
            string model = parse.GetValue(modelName)!;
            if (!BayesianClassifiers.Names.Contains(model))
            {
                return Usage($"unknown --model '{model}'; valid: {string.Join(", ", BayesianClassifiers.Names)}");
            }
            if (!TryOptimizerSettings(parse.GetValue(steps), parse.GetValue(lr), parse.GetValue(samples), out string? problem)
                || !TryPositive(parse.GetValue(priorStd), "--prior-std", out problem)
                || !TryPositive(parse.GetValue(variance), "--variance", out problem)
                || (parse.GetValue(lengthScale) is double ell && !TryPositive(ell, "--length-scale", out problem)))
            {
                return Usage(problem!);
            }
            if (parse.GetValue(batch) is < 0 || parse.GetValue(inducing) < 1 || parse.GetValue(threads) < 1)
            {
                return Usage("--batch-size must be >= 0, --inducing and --threads >= 1");
            }
            Device dev;
            try
            {
                // Before any work: an unknown spelling, or CUDA where libtorch sees none, is a usage error.
                TorchRuntime.EnsureInitialized();
                dev = DeviceResolver.Resolve(parse.GetValue(device)!);
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }
            var settings = new FitSettings(
                spec, model, kind, parse.GetValue(exclude), parse.GetValue(steps), parse.GetValue(lr), parse.GetValue(samples), parse.GetValue(batch),
                parse.GetValue(priorStd), parse.GetValue(inducing), parse.GetValue(lengthScale), parse.GetValue(variance), parse.GetValue(initFrom), parse.GetValue(inducingFrom),
                parse.GetValue(seed), dev);
            return WithThreads(parse.GetValue(threads), () => Fit(settings, parse.GetValue(output)!, parse.GetValue(overwrite)));
        });
        return command;
    }

    private static Command CreateUnlearn()
    {
        var model = new Option<string>("--model") { Description = "A folder written by 'vbu fit' (or 'vbu unlearn', to unlearn more).", Required = true };
        var eraseIds = new Option<string?>("--erase-ids") { Description = "File of row ids to unlearn (one per line or separated by commas/spaces)." };
        var eraseFraction = new Option<double?>("--erase-fraction") { Description = "Unlearn a random fraction P (0 < P < 1) of the model's rows." };
        var eraseCount = new Option<int?>("--erase-count") { Description = "Unlearn this many random rows." };
        var eraseSeed = new Option<int>("--erase-seed") { Description = "Seed of the random erase set.", DefaultValueFactory = _ => 0 };
        var method = new Option<string>("--method") { Description = "eubo (evidence upper bound with adjusted likelihood) or rkl (reverse KL with importance weights).", DefaultValueFactory = _ => "eubo" };
        var lambda = new Option<double>("--lambda") { Description = "λ in [0, 1] of the adjusted likelihood: the erased data counts only where q(θ|D) > λ·max q(θ|D) (0 = everywhere). With P parameters a typical draw of q(θ|D) has density ≈ e^(−P/2)·max, so useful λ shrink with P (metrics.json reports the share of samples counted).", DefaultValueFactory = _ => 0.0 };
        var steps = new Option<int>("--steps") { Description = "Adam steps.", DefaultValueFactory = _ => 1000 };
        var lr = new Option<double>("--lr") { Description = "Adam's initial learning rate (cosine-annealed to 0).", DefaultValueFactory = _ => 0.02 };
        var samples = new Option<int?>("--samples") { Description = "Samples per step (default: 16 for eubo, 256 for rkl)." };
        var batch = new Option<int>("--batch-size") { Description = "eubo: erased rows per step (0 = all; the term is rescaled, unbiased).", DefaultValueFactory = _ => 0 };
        var fixedPool = new Option<bool>("--fixed-pool") { Description = "rkl: draw one pool of --samples from q(θ|D) (and weigh it once) instead of fresh samples every step." };
        var momentMatching = new Option<bool>("--moment-matching") { Description = "rkl: the closed-form optimum (importance-weighted mean and covariance of one pool of --samples draws) instead of Adam." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the Monte-Carlo samples.", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("unlearn", "Unlearn rows from q(θ|D) using only q(θ|D) and the erased rows.")
        {
            model, eraseIds, eraseFraction, eraseCount, eraseSeed, method, lambda, steps, lr, samples, batch, fixedPool, momentMatching, seed, threads, output, overwrite,
        };
        command.SetAction(parse =>
        {
            int given = (parse.GetValue(eraseIds) is null ? 0 : 1) + (parse.GetValue(eraseFraction) is null ? 0 : 1) + (parse.GetValue(eraseCount) is null ? 0 : 1);
            if (given != 1)
            {
                return Usage("give exactly one of --erase-ids FILE, --erase-fraction P or --erase-count N");
            }
            if (parse.GetValue(eraseFraction) is double fraction && !(fraction > 0 && fraction < 1))
            {
                return Usage($"--erase-fraction must lie strictly between 0 and 1 (an empty erase set unlearns nothing; erasing everything leaves no data), got {fraction.ToString(CultureInfo.InvariantCulture)}");
            }
            if (parse.GetValue(eraseCount) is < 1)
            {
                return Usage($"--erase-count must be at least 1 (an empty erase set unlearns nothing), got {parse.GetValue(eraseCount)}");
            }
            string methodName = parse.GetValue(method)!;
            if (methodName is not ("eubo" or "rkl"))
            {
                return Usage($"unknown --method '{methodName}'; valid: eubo, rkl");
            }
            double lam = parse.GetValue(lambda);
            if (!(lam >= 0 && lam <= 1))
            {
                return Usage($"--lambda must be in [0, 1] (0: the erased data's likelihood counts everywhere; 1: nowhere, so nothing is unlearned), got {lam.ToString(CultureInfo.InvariantCulture)}");
            }
            int sampleCount = parse.GetValue(samples) ?? (methodName == "eubo" ? 16 : 256);
            if (!TryOptimizerSettings(parse.GetValue(steps), parse.GetValue(lr), sampleCount, out string? problem))
            {
                return Usage(problem!);
            }
            if ((parse.GetValue(momentMatching) || parse.GetValue(fixedPool)) && methodName != "rkl")
            {
                return Usage("--moment-matching and --fixed-pool apply to --method rkl only");
            }
            if (parse.GetValue(batch) < 0)
            {
                return Usage($"--batch-size must be >= 0 (0 = every erased row), got {parse.GetValue(batch)}");
            }
            if (parse.GetValue(threads) < 1)
            {
                return Usage("--threads must be at least 1");
            }
            var settings = new UnlearnSettings(
                parse.GetValue(model)!, parse.GetValue(eraseIds), parse.GetValue(eraseFraction), parse.GetValue(eraseCount), parse.GetValue(eraseSeed),
                methodName, lam, parse.GetValue(steps), parse.GetValue(lr), sampleCount, parse.GetValue(batch), parse.GetValue(fixedPool), parse.GetValue(momentMatching), parse.GetValue(seed));
            return WithThreads(parse.GetValue(threads), () => Unlearn(settings, parse.GetValue(output)!, parse.GetValue(overwrite)));
        });
        return command;
    }

    private static Command CreateEvaluate()
    {
        var model = new Option<string>("--model") { Description = "A folder written by 'vbu unlearn'.", Required = true };
        var retrained = new Option<string>("--retrained") { Description = "A folder written by 'vbu fit --exclude-ids' on the same data without the erased rows.", Required = true };
        var samples = new Option<int>("--samples") { Description = "Monte-Carlo samples of θ for the predictive distributions.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of those samples.", DefaultValueFactory = _ => 0UL };
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object." };
        var output = new Option<string?>("--out") { Description = "Also write metrics.json and run.json into this folder." };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1 };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("evaluate", "The paper's metric: mean KL from the retrained posterior's predictive distribution to the unlearned (and the full-data) one, on D_e and D_r.")
        {
            model, retrained, samples, seed, json, output, threads, overwrite,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(samples) < 1 || parse.GetValue(threads) < 1)
            {
                return Usage("--samples and --threads must be at least 1");
            }
            return WithThreads(parse.GetValue(threads), () => Evaluate(parse.GetValue(model)!, parse.GetValue(retrained)!, parse.GetValue(samples), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(output), parse.GetValue(overwrite)));
        });
        return command;
    }

    private static int Fit(FitSettings s, string output, bool overwrite)
    {
        var total = Stopwatch.StartNew();
        // The folder is this run's from here (lock; a foreign non-empty folder refused); every output is staged and
        // published together at the end, so a failure leaves the folder as it was.
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        Progress($"loading {s.Data}");
        ClassificationData all = s.Data.Load();
        int[] excluded = s.ExcludeIds is null ? [] : ReadIds(s.ExcludeIds, all, "--exclude-ids");
        if (excluded.Length == all.Count)
        {
            throw new InvalidDataException($"--exclude-ids '{s.ExcludeIds}' lists every one of the {all.Count} rows; nothing is left to fit");
        }
        ClassificationData train = excluded.Length == 0 ? all : all.Without(excluded);
        using IBayesianClassifier model = CreateModel(s, all, train);
        int batchSize = s.BatchSize ?? (train.Count <= 2000 ? 0 : 500);
        var options = new VariationalOptions { Posterior = s.Posterior, Steps = s.Steps, LearningRate = s.LearningRate, Samples = s.Samples, BatchSize = batchSize };
        Progress($"fitting a {Gaussian.KindName(s.Posterior)} Gaussian posterior of the {model.Name} model ({model.ParameterCount} parameters) on {train.Count} rows ({s.Steps} steps)");
        using LoadedPosterior? start = s.InitFrom is null ? null : LoadStart(s, model, excluded);
        using var generator = new Generator(s.Seed);
        var watch = Stopwatch.StartNew();
        using Gaussian posterior = VariationalInference.Fit(model, train, options, generator, start?.Posterior);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        double elbo = VariationalInference.Elbo(model, posterior, train, 64, generator);
        double[] probabilities = PredictiveDivergence.Probabilities(model, posterior, train, 200, s.Seed);
        double accuracy = PredictiveDivergence.Accuracy(probabilities, train, model.ClassCount);

        string role = excluded.Length == 0 ? "full" : "retrained";
        PosteriorFile.Save(run.Staged(PosteriorFileName), model, posterior, new Dictionary<string, string>
        {
            ["data"] = s.Data.ToJson(),
            ["role"] = role,
            ["rows"] = train.Count.ToString(CultureInfo.InvariantCulture),
        });
        WriteIds(run.Staged(ExcludedFileName), excluded);
        JsonFile.Write(run.Staged(RunDirectory.ManifestName), RunInfo("vbu fit", new Dictionary<string, object?>
        {
            ["data"] = s.Data,
            ["model"] = model.Name,
            ["model_configuration"] = model.Configuration,
            ["posterior"] = Gaussian.KindName(s.Posterior),
            ["exclude_ids"] = s.ExcludeIds is null ? null : Path.GetFullPath(s.ExcludeIds),
            ["init_from"] = s.InitFrom is null ? null : Path.GetFullPath(s.InitFrom),
            ["inducing_from"] = s.InducingFrom is null ? null : Path.GetFullPath(s.InducingFrom),
            ["optimizer"] = options,
        }, s.Seed, s.Device));
        JsonFile.Write(run.Staged("metrics.json"), new Dictionary<string, object?>
        {
            ["role"] = role,
            ["rows"] = train.Count,
            ["excluded_rows"] = excluded.Length,
            ["parameters"] = model.ParameterCount,
            ["elbo"] = elbo,
            ["train_accuracy"] = accuracy,
            ["fit_seconds"] = fitSeconds,
            ["total_seconds"] = total.Elapsed.TotalSeconds,
        });
        // A fit replacing an unlearned model must not leave its erased ids and full posterior: 'vbu evaluate' would
        // take the folder for an unlearning output.
        run.Publish([ErasedFileName, FullPosteriorFileName]);
        Console.WriteLine($"fitted q(θ|D) ({role}, {Gaussian.KindName(s.Posterior)}) of the {model.Name} model on {train.Count} rows in {fitSeconds:F1} s: ELBO {elbo:F2}, train accuracy {accuracy:P2} -> {output}");
        return Program.ExitOk;
    }

    /// <summary>The --init-from posterior, checked to be of the same model, data and training rows.</summary>
    private static LoadedPosterior LoadStart(FitSettings s, IBayesianClassifier model, int[] excluded)
    {
        string path = Path.Combine(s.InitFrom!, PosteriorFileName);
        LoadedPosterior start = PosteriorFile.Load(path);
        try
        {
            if (start.Model.Name != model.Name || !start.Model.Configuration.OrderBy(p => p.Key).SequenceEqual(model.Configuration.OrderBy(p => p.Key)))
            {
                throw new InvalidDataException($"--init-from '{s.InitFrom}' holds a different model ({start.Model.Name} {string.Join(", ", start.Model.Configuration.Select(p => $"{p.Key}={p.Value}"))}); it must match the one being fitted");
            }
            if (DataSpecOf(start, path) != s.Data)
            {
                throw new InvalidDataException($"--init-from '{s.InitFrom}' was fitted on {DataSpecOf(start, path)}, not {s.Data}");
            }
            int[] startExcluded = ReadIds(Path.Combine(s.InitFrom!, ExcludedFileName), null, ExcludedFileName);
            if (!startExcluded.Order().SequenceEqual(excluded.Order()))
            {
                throw new InvalidDataException($"--init-from '{s.InitFrom}' was fitted on other rows ({startExcluded.Length} left out, here {excluded.Length}); a warm start must not have seen rows this fit leaves out");
            }
            return start;
        }
        catch
        {
            start.Dispose();
            throw;
        }
    }

    private static IBayesianClassifier CreateModel(FitSettings s, ClassificationData all, ClassificationData train)
    {
        if (s.Model == BayesianLogisticRegression.RegistryName)
        {
            return new BayesianLogisticRegression(all.FeatureCount, all.ClassCount, s.PriorStd, ScalarType.Float64, s.Device);
        }
        if (all.ClassCount != 2)
        {
            throw new InvalidDataException($"the sparse-gp model is a binary classifier; {s.Data} has {all.ClassCount} classes (use --model logistic-regression)");
        }
        if (s.InducingFrom is not null)
        {
            using LoadedPosterior source = PosteriorFile.Load(Path.Combine(s.InducingFrom, PosteriorFileName));
            if (source.Model is not SparseGpClassifier gp)
            {
                throw new InvalidDataException($"--inducing-from '{s.InducingFrom}' holds a {source.Model.Name} model, not a sparse-gp one");
            }
            if (gp.FeatureCount != all.FeatureCount)
            {
                throw new InvalidDataException($"--inducing-from '{s.InducingFrom}' has {gp.FeatureCount} input features; the data has {all.FeatureCount}");
            }
            return new SparseGpClassifier(gp.InducingPoints, gp.LengthScale, gp.Variance, gp.Jitter, ScalarType.Float64, s.Device);
        }
        if (s.Inducing > train.Count)
        {
            throw new InvalidDataException($"--inducing {s.Inducing} exceeds the {train.Count} training rows");
        }
        double[] z = SparseGpClassifier.KMeansInducingPoints(train, s.Inducing, unchecked((int)s.Seed));
        return CreateSparseGp(z, all.FeatureCount, s.LengthScale, s.Variance, s.Device);
    }

    /// <summary>A sparse GP over the inducing inputs <paramref name="inducingPoints"/> (row-major M × D); the length scale defaults to their median distance.</summary>
    internal static SparseGpClassifier CreateSparseGp(double[] inducingPoints, int featureCount, double? lengthScale, double variance, Device device)
    {
        double scale = lengthScale ?? MedianDistance(inducingPoints, featureCount);
        using Tensor zt = torch.tensor(inducingPoints, [inducingPoints.Length / featureCount, featureCount]).DetachFromDisposeScope();
        return new SparseGpClassifier(zt, scale, variance, 1e-6, ScalarType.Float64, device);
    }

    private static int Unlearn(UnlearnSettings s, string output, bool overwrite)
    {
        var total = Stopwatch.StartNew();
        // As in Fit: the folder is claimed, the outputs staged and published together.
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        string sourcePath = Path.Combine(s.Model, PosteriorFileName);
        using LoadedPosterior source = PosteriorFile.Load(sourcePath);
        VbuDataSpec spec = DataSpecOf(source, sourcePath);
        int[] alreadyExcluded = ReadIds(Path.Combine(s.Model, ExcludedFileName), null, ExcludedFileName);
        Progress($"loading {spec}");
        ClassificationData all = spec.Load();
        ClassificationData current = alreadyExcluded.Length == 0 ? all : all.Without(alreadyExcluded);
        int[] erase = ChooseErased(s, current);
        if (erase.Length == 0)
        {
            throw new InvalidDataException("the erase set is empty; give at least one row id to unlearn");
        }
        if (erase.Length == current.Count)
        {
            throw new InvalidDataException($"the erase set holds all {current.Count} rows the model was fitted on; unlearning everything leaves no data (refit on the prior instead)");
        }
        ClassificationData erased = current.Select(erase);
        Progress($"unlearning {erased.Count} of {current.Count} rows with {s.Method} (λ = {s.Lambda.ToString("G", CultureInfo.InvariantCulture)}) from the {Gaussian.KindName(source.Posterior.Kind)} posterior of the {source.Model.Name} model");

        using var generator = new Generator(s.Seed);
        VbuOutcome outcome = s.Method == "eubo"
            ? EuboUnlearning.Unlearn(source.Model, source.Posterior, erased, new EuboOptions { Lambda = s.Lambda, Steps = s.Steps, LearningRate = s.LearningRate, Samples = s.Samples, BatchSize = s.BatchSize }, generator)
            : ReverseKlUnlearning.Unlearn(source.Model, source.Posterior, erased, new ReverseKlOptions { Lambda = s.Lambda, Steps = s.Steps, LearningRate = s.LearningRate, Samples = s.Samples, ResampleEachStep = !s.FixedPool, MomentMatching = s.MomentMatching }, generator);
        using Gaussian unlearned = outcome.Posterior;

        PosteriorFile.Save(run.Staged(PosteriorFileName), source.Model, unlearned, new Dictionary<string, string>
        {
            ["data"] = spec.ToJson(),
            ["role"] = "unlearned",
            ["method"] = s.Method,
            ["lambda"] = s.Lambda.ToString("R", CultureInfo.InvariantCulture),
            ["rows"] = (current.Count - erased.Count).ToString(CultureInfo.InvariantCulture),
        });
        AtomicFile.Copy(sourcePath, run.Staged(FullPosteriorFileName));
        WriteIds(run.Staged(ErasedFileName), erase);
        WriteIds(run.Staged(ExcludedFileName), alreadyExcluded.Concat(erase).Order().ToArray());
        JsonFile.Write(run.Staged(RunDirectory.ManifestName), RunInfo("vbu unlearn", new Dictionary<string, object?>
        {
            ["model"] = Path.GetFullPath(s.Model),
            ["data"] = spec,
            ["erase_ids"] = s.EraseIds is null ? null : Path.GetFullPath(s.EraseIds),
            ["erase_fraction"] = s.EraseFraction,
            ["erase_count"] = s.EraseCount,
            ["erase_seed"] = s.EraseIds is null ? s.EraseSeed : null,
            ["method"] = s.Method,
            ["lambda"] = s.Lambda,
            ["steps"] = s.MomentMatching ? null : s.Steps,
            ["lr"] = s.MomentMatching ? null : s.LearningRate,
            ["samples"] = s.Samples,
            ["batch_size"] = s.Method == "eubo" ? s.BatchSize : null,
            ["fixed_pool"] = s.Method == "rkl" ? s.FixedPool : null,
            ["moment_matching"] = s.MomentMatching,
        }, s.Seed, source.Posterior.Device));
        JsonFile.Write(run.Staged("metrics.json"), new Dictionary<string, object?>
        {
            ["erased_rows"] = erased.Count,
            ["remaining_rows"] = current.Count - erased.Count,
            ["objective"] = Finite(outcome.Objective),
            ["counted_fraction"] = outcome.CountedFraction,
            ["effective_sample_size"] = outcome.EffectiveSampleSize,
            ["unlearn_seconds"] = outcome.Seconds,
            ["total_seconds"] = total.Elapsed.TotalSeconds,
        });
        run.Publish();
        string ess = outcome.EffectiveSampleSize is double e ? $", mean effective sample size {e:F1} of {s.Samples}" : string.Empty;
        Console.WriteLine($"unlearned {erased.Count} rows with {s.Method} (λ = {s.Lambda.ToString("G", CultureInfo.InvariantCulture)}) in {outcome.Seconds:F1} s: objective {outcome.Objective:F3}, {outcome.CountedFraction:P1} of samples inside the adjusted-likelihood region{ess} -> {output}");
        return Program.ExitOk;
    }

    private static int Evaluate(string modelDir, string retrainedDir, int samples, ulong seed, bool json, string? output, bool overwrite)
    {
        using RunDirectory? run = output is null ? null : RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        string erasedPath = Path.Combine(modelDir, ErasedFileName);
        string fullPath = Path.Combine(modelDir, FullPosteriorFileName);
        if (!File.Exists(erasedPath) || !File.Exists(fullPath))
        {
            throw new InvalidDataException($"'{modelDir}' is not a 'vbu unlearn' output (it lacks {ErasedFileName} or {FullPosteriorFileName}); --model must name an unlearned model");
        }
        string unlearnedPath = Path.Combine(modelDir, PosteriorFileName);
        string retrainedPath = Path.Combine(retrainedDir, PosteriorFileName);
        using LoadedPosterior unlearned = PosteriorFile.Load(unlearnedPath);
        using LoadedPosterior full = PosteriorFile.Load(fullPath);
        using LoadedPosterior retrained = PosteriorFile.Load(retrainedPath);
        VbuDataSpec spec = DataSpecOf(unlearned, unlearnedPath);
        VbuDataSpec retrainedSpec = DataSpecOf(retrained, retrainedPath);
        if (spec != retrainedSpec)
        {
            throw new InvalidDataException($"the retrained model was fitted on {retrainedSpec}, the unlearned one on {spec}; compare models of the same data");
        }
        int[] erasedIds = ReadIds(erasedPath, null, ErasedFileName);
        int[] excluded = ReadIds(Path.Combine(modelDir, ExcludedFileName), null, ExcludedFileName);
        int[] retrainedExcluded = ReadIds(Path.Combine(retrainedDir, ExcludedFileName), null, ExcludedFileName);
        if (!excluded.Order().SequenceEqual(retrainedExcluded.Order()))
        {
            int missing = excluded.Except(retrainedExcluded).Count();
            int extra = retrainedExcluded.Except(excluded).Count();
            throw new InvalidDataException(
                $"the retrained model did not leave out exactly the unlearned rows ({missing} erased rows were in its training data, {extra} other rows were left out); " +
                $"fit it with --exclude-ids {Path.Combine(modelDir, ExcludedFileName)}");
        }
        Progress($"loading {spec}");
        ClassificationData all = spec.Load();
        ClassificationData erased = all.Select(erasedIds);
        ClassificationData remaining = all.Without(excluded);
        Progress($"predictive distributions with {samples} samples on {erased.Count} erased and {remaining.Count} remaining rows");
        int k = retrained.Model.ClassCount;
        double[] retrainedErased = PredictiveDivergence.Probabilities(retrained.Model, retrained.Posterior, erased, samples, seed);
        double[] retrainedRemaining = PredictiveDivergence.Probabilities(retrained.Model, retrained.Posterior, remaining, samples, seed);
        PosteriorReport Report(LoadedPosterior candidate)
        {
            double[] onErased = PredictiveDivergence.Probabilities(candidate.Model, candidate.Posterior, erased, samples, seed);
            double[] onRemaining = PredictiveDivergence.Probabilities(candidate.Model, candidate.Posterior, remaining, samples, seed);
            return new PosteriorReport(
                PredictiveDivergence.MeanKl(retrainedErased, onErased, k),
                PredictiveDivergence.MeanKl(retrainedRemaining, onRemaining, k),
                PredictiveDivergence.Accuracy(onErased, erased, k),
                PredictiveDivergence.Accuracy(onRemaining, remaining, k));
        }
        PosteriorReport unlearnedReport = Report(unlearned);
        PosteriorReport fullReport = Report(full);
        var retrainedReport = new PosteriorReport(0, 0, PredictiveDivergence.Accuracy(retrainedErased, erased, k), PredictiveDivergence.Accuracy(retrainedRemaining, remaining, k));
        var metrics = new Dictionary<string, object?>
        {
            ["method"] = unlearned.Metadata.GetValueOrDefault("method"),
            ["lambda"] = unlearned.Metadata.TryGetValue("lambda", out string? l) ? double.Parse(l, CultureInfo.InvariantCulture) : null,
            ["erased_rows"] = erased.Count,
            ["remaining_rows"] = remaining.Count,
            ["samples"] = samples,
            ["kl_unlearned_erased"] = unlearnedReport.KlErased,
            ["kl_unlearned_remaining"] = unlearnedReport.KlRemaining,
            ["kl_full_erased"] = fullReport.KlErased,
            ["kl_full_remaining"] = fullReport.KlRemaining,
            ["posteriors"] = new Dictionary<string, PosteriorReport> { ["unlearned"] = unlearnedReport, ["full"] = fullReport, ["retrained"] = retrainedReport },
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(metrics, JsonFile.Options));
        }
        else
        {
            Console.WriteLine($"mean KL[retrained ‖ ·] of the predictive distributions ({samples} samples), {erased.Count} erased and {remaining.Count} remaining rows");
            Console.WriteLine($"{"posterior",-12} {"KL on D_e",12} {"KL on D_r",12} {"acc D_e",9} {"acc D_r",9}");
            Console.WriteLine(Row("unlearned", unlearnedReport));
            Console.WriteLine(Row("full", fullReport));
            Console.WriteLine(Row("retrained", retrainedReport));
            string verdict = unlearnedReport.KlErased < fullReport.KlErased ? "closer to retraining than the full-data posterior" : "NOT closer to retraining than the full-data posterior";
            Console.WriteLine($"on D_e the unlearned posterior is {verdict}");
        }
        if (run is not null)
        {
            JsonFile.Write(run.Staged("metrics.json"), metrics);
            JsonFile.Write(run.Staged(RunDirectory.ManifestName), RunInfo("vbu evaluate", new Dictionary<string, object?>
            {
                ["model"] = Path.GetFullPath(modelDir),
                ["retrained"] = Path.GetFullPath(retrainedDir),
                ["samples"] = samples,
            }, seed, torch.CPU));
            run.Publish();
        }
        return Program.ExitOk;
    }

    private static string Row(string name, PosteriorReport r) =>
        $"{name,-12} {r.KlErased,12:G4} {r.KlRemaining,12:G4} {r.AccuracyErased,9:P2} {r.AccuracyRemaining,9:P2}";

    private static int[] ChooseErased(UnlearnSettings s, ClassificationData current)
    {
        if (s.EraseIds is not null)
        {
            return ReadIds(s.EraseIds, current, "--erase-ids");
        }
        int count = s.EraseCount ?? (int)Math.Round(s.EraseFraction!.Value * current.Count);
        if (count < 1)
        {
            throw new InvalidDataException($"--erase-fraction {s.EraseFraction?.ToString(CultureInfo.InvariantCulture)} of {current.Count} rows rounds to an empty erase set; use a larger fraction or --erase-count");
        }
        if (count >= current.Count)
        {
            throw new InvalidDataException($"erasing {count} of the model's {current.Count} rows leaves no data; erase fewer");
        }
        int[] ids = current.Ids.ToArray();
        var random = new Random(s.EraseSeed);
        for (int i = 0; i < count; i++)
        {
            int j = i + random.Next(ids.Length - i);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids.Take(count).Order().ToArray();
    }

    /// <summary>Row ids from a file (one per line or separated by commas, spaces, tabs or semicolons), checked against <paramref name="data"/> when given.</summary>
    internal static int[] ReadIds(string path, ClassificationData? data, string what)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"{what} file '{path}' not found; give a file of row ids (one per line, or separated by commas or spaces)", path);
        }
        HashSet<int>? valid = data is null ? null : [.. data.Ids.ToArray()];
        var ids = new List<int>();
        var seen = new HashSet<int>();
        string[] lines = InputFile.ReadAllLines(path, $"{what} file");
        for (int n = 0; n < lines.Length; n++)
        {
            foreach (string token in lines[n].Split([',', ' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id))
                {
                    throw new InvalidDataException($"{path}, line {n + 1}: '{token}' is not a row id (a non-negative integer)");
                }
                if (valid is not null && !valid.Contains(id))
                {
                    throw new InvalidDataException($"{path}, line {n + 1}: row id {id} is not among the model's {valid.Count} rows (ids {DescribeIds(data!)})");
                }
                if (!seen.Add(id))
                {
                    throw new InvalidDataException($"{path}, line {n + 1}: row id {id} is listed twice");
                }
                ids.Add(id);
            }
        }
        if (data is not null && ids.Count == 0)
        {
            throw new InvalidDataException($"{what} file '{path}' lists no row ids; the erase set must not be empty");
        }
        return ids.ToArray();
    }

    private static string DescribeIds(ClassificationData data) =>
        data.Count == 0 ? "none" : $"between {data.Ids.ToArray().Min()} and {data.Ids.ToArray().Max()}, except those already left out";

    internal static void WriteIds(string path, int[] ids) =>
        AtomicFile.WriteAllText(path, string.Concat(ids.Select(id => id.ToString(CultureInfo.InvariantCulture) + "\n")));

    private static VbuDataSpec DataSpecOf(LoadedPosterior posterior, string path) =>
        posterior.Metadata.TryGetValue("data", out string? data)
            ? VbuDataSpec.FromJson(data, path)
            : throw new InvalidDataException($"'{path}' does not say which data it was fitted on (no 'data' metadata); it was not written by 'deepunlearn vbu'");

    private static double MedianDistance(double[] points, int d)
    {
        int m = points.Length / d;
        var distances = new List<double>();
        for (int i = 0; i < m; i++)
        {
            for (int j = i + 1; j < m; j++)
            {
                double sum = 0;
                for (int c = 0; c < d; c++)
                {
                    double diff = points[(i * d) + c] - points[(j * d) + c];
                    sum += diff * diff;
                }
                distances.Add(Math.Sqrt(sum));
            }
        }
        if (distances.Count == 0)
        {
            return 1.0;
        }
        distances.Sort();
        double median = distances[distances.Count / 2];
        return median > 0 ? median : 1.0;
    }

    private static bool TryOptimizerSettings(int steps, double lr, int samples, out string? problem)
    {
        problem = steps < 1 ? $"--steps must be at least 1, got {steps}"
            : !(lr > 0) || double.IsInfinity(lr) ? $"--lr must be a positive finite number, got {lr.ToString(CultureInfo.InvariantCulture)}"
            : samples < 1 ? $"--samples must be at least 1, got {samples}"
            : null;
        return problem is null;
    }

    private static bool TryPositive(double value, string name, out string? problem)
    {
        problem = value > 0 && double.IsFinite(value) ? null : $"{name} must be a positive finite number, got {value.ToString(CultureInfo.InvariantCulture)}";
        return problem is null;
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="threads"/> (≥ 1, checked by the caller) libtorch intra-op threads.</summary>
    internal static int WithThreads(int threads, Func<int> action)
    {
        TorchRuntime.EnsureInitialized();
        int previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            return action();
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    internal static Dictionary<string, object?> RunInfo(string command, Dictionary<string, object?> config, ulong seed, Device device) => new()
    {
        ["command"] = command,
        ["config"] = config,
        ["seed"] = seed,
        ["deepunlearn_version"] = ToolkitInfo.Version,
        ["torchsharp_version"] = TorchRuntime.EnsureInitialized().TorchSharpVersion,
        ["libtorch_version"] = TorchRuntime.EnsureInitialized().LibTorchVersion,
        ["device"] = device.ToString(),
        ["threads"] = torch.get_num_threads(),
        ["paper"] = "Nguyen, Low and Jaillet, Variational Bayesian Unlearning, NeurIPS 2020 (arXiv 2010.12883)",
        ["started_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    internal static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return Program.ExitUsage;
    }

    internal static void Progress(string message) => Console.Error.WriteLine($"[vbu] {message}");

    private sealed record FitSettings(
        VbuDataSpec Data,
        string Model,
        PosteriorKind Posterior,
        string? ExcludeIds,
        int Steps,
        double LearningRate,
        int Samples,
        int? BatchSize,
        double PriorStd,
        int Inducing,
        double? LengthScale,
        double Variance,
        string? InitFrom,
        string? InducingFrom,
        ulong Seed,
        Device Device);

    private sealed record UnlearnSettings(
        string Model,
        string? EraseIds,
        double? EraseFraction,
        int? EraseCount,
        int EraseSeed,
        string Method,
        double Lambda,
        int Steps,
        double LearningRate,
        int Samples,
        int BatchSize,
        bool FixedPool,
        bool MomentMatching,
        ulong Seed);

    private sealed record PosteriorReport(double KlErased, double KlRemaining, double AccuracyErased, double AccuracyRemaining);
}
