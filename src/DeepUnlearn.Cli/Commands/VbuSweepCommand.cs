using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn vbu sweep</c>: the VBU paper's experiment (Nguyen, Low and Jaillet, NeurIPS 2020; the authors'
/// <c>run.py</c> and <c>compute_kl_distance.py</c>): for each seed, fit q(θ|D) and the retrained q(θ|D_r), unlearn
/// D_e with EUBO and reverse KL at every λ, and tabulate the averaged KL divergences to retraining, as mean ± sd
/// over seeds. Writes <c>sweep.md</c>, <c>metrics.json</c> (every row and the summary), <c>run.json</c> and
/// <c>erased_ids.txt</c>.
/// </summary>
internal static class VbuSweepCommand
{
    // The authors' moon model (model_config.py, gp_utils.py): the squared-exponential kernel with signal variance
    // 4.7432 and inverse squared length scales (2.4232, 1.8230), i.e. length scales (0.642, 0.741); our kernel is
    // isotropic, so it takes their geometric mean 1/√(√(2.4232 · 1.8230)) = 0.690.
    private const double MoonsLengthScale = 0.690;
    private const double MoonsVariance = 4.7432;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "moons, fashion-mnist or csv:FILE.", Required = true };
        var modelName = new Option<string?>("--model") { Description = "logistic-regression or sparse-gp (default: sparse-gp for moons, as the paper; logistic-regression otherwise)." };
        var posterior = new Option<string>("--posterior") { Description = "The variational family of every posterior: full (the authors' gauss_fullcov) or diag.", DefaultValueFactory = _ => "full" };
        var erase = new Option<string?>("--erase") { Description = "Which rows to unlearn: rightmost:N (the N rows with the largest first feature, the paper's moon request), random:N, class:K:N (N random rows of class K) or ids:FILE. Default for moons: rightmost:20% of the rows." };
        var eraseSeed = new Option<int>("--erase-seed") { Description = "Seed of random and class erase sets.", DefaultValueFactory = _ => 0 };
        var lambdas = new Option<string>("--lambdas") { Description = "Comma-separated λ values in [0, 1] (the authors' moon grid by default).", DefaultValueFactory = _ => "0.5,0.1,1e-3,1e-5,1e-9,0" };
        var methods = new Option<string>("--methods") { Description = "eubo, rkl or eubo,rkl.", DefaultValueFactory = _ => "eubo,rkl" };
        var seeds = new Option<int>("--seeds") { Description = "Repeat everything (both fits and every unlearning) with seeds 0..N-1 and report mean ± sd.", DefaultValueFactory = _ => 3 };
        var fitSteps = new Option<int>("--fit-steps") { Description = "Adam steps of each variational fit.", DefaultValueFactory = _ => 3000 };
        var fitLr = new Option<double>("--fit-lr") { Description = "Adam's initial learning rate of the fits (cosine-annealed).", DefaultValueFactory = _ => 0.05 };
        var fitSamples = new Option<int>("--fit-samples") { Description = "Monte-Carlo samples of θ per fit step.", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per fit step (0 = all; default: all up to 2,000 rows, else 500)." };
        var steps = new Option<int>("--steps") { Description = "Adam steps of each unlearning.", DefaultValueFactory = _ => 1000 };
        var lr = new Option<double>("--lr") { Description = "Adam's initial learning rate of the unlearning (cosine-annealed).", DefaultValueFactory = _ => 0.02 };
        var rklLr = new Option<double?>("--rkl-lr") { Description = "Reverse KL: Adam's initial learning rate, when it should differ from --lr (Adam's steps have the size of the rate in θ's units whatever the gradient, so a concentrated posterior needs a smaller one)." };
        var euboSamples = new Option<int>("--eubo-samples") { Description = "EUBO: samples of θ per step.", DefaultValueFactory = _ => 16 };
        var rklSamples = new Option<int>("--rkl-samples") { Description = "Reverse KL: samples of q(θ|D) per step.", DefaultValueFactory = _ => 256 };
        var evalSamples = new Option<int>("--eval-samples") { Description = "Samples of θ for each predictive distribution (the same seed for every posterior).", DefaultValueFactory = _ => 1000 };
        var priorStd = new Option<double>("--prior-std") { Description = "Logistic regression: prior standard deviation of each weight.", DefaultValueFactory = _ => 10.0 };
        var inducing = new Option<int>("--inducing") { Description = "Sparse GP: inducing inputs (moons: an independent 20-point two-moons draw, as the authors; otherwise k-means centres of all rows).", DefaultValueFactory = _ => 20 };
        var lengthScale = new Option<double?>("--length-scale") { Description = "Sparse GP: kernel length scale (moons default 0.69, the authors' kernel made isotropic; otherwise the median distance of the inducing inputs)." };
        var variance = new Option<double?>("--variance") { Description = "Sparse GP: kernel variance (moons default 4.7432, the authors'; otherwise 4)." };
        var moonsCount = new Option<int>("--moons-count") { Description = "moons: rows (the paper: 100).", DefaultValueFactory = _ => 100 };
        var moonsNoise = new Option<double>("--moons-noise") { Description = "moons: noise standard deviation.", DefaultValueFactory = _ => 0.2 };
        var moonsSeed = new Option<int>("--moons-seed") { Description = "moons: data seed.", DefaultValueFactory = _ => 0 };
        var fashionBlock = new Option<int>("--fashion-block") { Description = "fashion-mnist: features are the means of s×s pixel blocks of pixel/255.", DefaultValueFactory = _ => FashionMnistFeatures.DefaultBlock };
        var fashionDir = new Option<string?>("--fashion-dir") { Description = "fashion-mnist: folder of the IDX files." };
        var fashionClasses = VbuCommand.FashionClassesOption();
        var fashionRows = VbuCommand.FashionRowsOption();
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("sweep", "The paper's experiment: fit q(θ|D) and the retrained q(θ|D_r), unlearn with EUBO and reverse KL over a λ grid, and tabulate the averaged KL divergences to retraining over seeds.")
        {
            data, modelName, posterior, erase, eraseSeed, lambdas, methods, seeds, fitSteps, fitLr, fitSamples, batch, steps, lr, rklLr, euboSamples, rklSamples, evalSamples,
            priorStd, inducing, lengthScale, variance, moonsCount, moonsNoise, moonsSeed, fashionBlock, fashionDir, fashionClasses, fashionRows, threads, output, overwrite,
        };
        command.SetAction(parse =>
        {
            VbuDataSpec spec;
            PosteriorKind kind;
            double[] grid;
            try
            {
                spec = VbuDataSpec.Parse(parse.GetValue(data)!, parse.GetValue(moonsCount), parse.GetValue(moonsNoise), parse.GetValue(moonsSeed), parse.GetValue(fashionBlock), parse.GetValue(fashionDir), parse.GetValue(fashionClasses), parse.GetValue(fashionRows));
                kind = Gaussian.ParseKind(parse.GetValue(posterior)!);
                grid = ParseLambdas(parse.GetValue(lambdas)!);
            }
            catch (ArgumentException e)
            {
                return VbuCommand.Usage(e.Message);
            }
            string model = parse.GetValue(modelName) ?? (spec.Kind == "moons" ? SparseGpClassifier.RegistryName : BayesianLogisticRegression.RegistryName);
            if (!BayesianClassifiers.Names.Contains(model))
            {
                return VbuCommand.Usage($"unknown --model '{model}'; valid: {string.Join(", ", BayesianClassifiers.Names)}");
            }
            string[] methodNames = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (methodNames.Length == 0 || methodNames.Any(m => m is not ("eubo" or "rkl")) || methodNames.Distinct().Count() != methodNames.Length)
            {
                return VbuCommand.Usage($"--methods must list eubo and/or rkl once each, got '{parse.GetValue(methods)}'");
            }
            string? problem = FirstProblem(
                (parse.GetValue(seeds) >= 1, $"--seeds must be at least 1, got {parse.GetValue(seeds)}"),
                (parse.GetValue(fitSteps) >= 1 && parse.GetValue(steps) >= 1, "--fit-steps and --steps must be at least 1"),
                (parse.GetValue(fitSamples) >= 1 && parse.GetValue(euboSamples) >= 1 && parse.GetValue(rklSamples) >= 1 && parse.GetValue(evalSamples) >= 1, "--fit-samples, --eubo-samples, --rkl-samples and --eval-samples must be at least 1"),
                (PositiveFinite(parse.GetValue(fitLr)) && PositiveFinite(parse.GetValue(lr)) && (parse.GetValue(rklLr) is not double r || PositiveFinite(r)), "--fit-lr, --lr and --rkl-lr must be positive finite numbers"),
                (PositiveFinite(parse.GetValue(priorStd)) && parse.GetValue(lengthScale) is null or > 0 && parse.GetValue(variance) is null or > 0, "--prior-std, --length-scale and --variance must be positive"),
                (parse.GetValue(batch) is null or >= 0, "--batch-size must be >= 0"),
                (parse.GetValue(inducing) >= 1 && parse.GetValue(threads) >= 1, "--inducing and --threads must be at least 1"));
            if (problem is not null)
            {
                return VbuCommand.Usage(problem);
            }
            var settings = new SweepSettings(
                spec, model, kind, parse.GetValue(erase), parse.GetValue(eraseSeed), grid, methodNames.Contains("eubo"), methodNames.Contains("rkl"), parse.GetValue(seeds),
                parse.GetValue(fitSteps), parse.GetValue(fitLr), parse.GetValue(fitSamples), parse.GetValue(batch), parse.GetValue(steps), parse.GetValue(lr), parse.GetValue(rklLr) ?? parse.GetValue(lr),
                parse.GetValue(euboSamples), parse.GetValue(rklSamples), parse.GetValue(evalSamples), parse.GetValue(priorStd), parse.GetValue(inducing),
                parse.GetValue(lengthScale), parse.GetValue(variance));
            return VbuCommand.WithThreads(parse.GetValue(threads), () => Run(settings, parse.GetValue(output)!, parse.GetValue(overwrite)));
        });
        return command;
    }

    private static int Run(SweepSettings s, string output, bool overwrite)
    {
        var total = Stopwatch.StartNew();
        // The folder is claimed before the work and the outputs published together after it (RunDirectory).
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        VbuCommand.Progress($"loading {s.Data}");
        ClassificationData all = s.Data.Load();
        int[] erased = ChooseErased(s, all);
        using IBayesianClassifier model = CreateModel(s, all);
        int batchSize = s.BatchSize ?? (all.Count <= 2000 ? 0 : 500);
        var options = new VbuSweepOptions
        {
            Lambdas = s.Lambdas,
            Eubo = s.Eubo,
            ReverseKl = s.ReverseKl,
            Fit = new VariationalOptions { Posterior = s.Posterior, Steps = s.FitSteps, LearningRate = s.FitLearningRate, Samples = s.FitSamples, BatchSize = batchSize },
            EuboSettings = new EuboOptions { Steps = s.Steps, LearningRate = s.LearningRate, Samples = s.EuboSamples },
            ReverseKlSettings = new ReverseKlOptions { Steps = s.Steps, LearningRate = s.RklLearningRate, Samples = s.RklSamples },
            EvaluationSamples = s.EvaluationSamples,
        };
        VbuCommand.Progress(
            $"{s.Seeds} seed(s): {Gaussian.KindName(s.Posterior)} posteriors of the {model.Name} model ({model.ParameterCount} parameters) on {all.Count} rows, " +
            $"unlearning {erased.Length} with {Methods(s)} at λ = {string.Join(", ", s.Lambdas.Select(Invariant))}");
        using ILoggerFactory logging = CliLogging.Create(verbose: true);
        ILogger logger = logging.CreateLogger("vbu.sweep");
        var rows = new List<VbuSweepRow>();
        for (ulong seed = 0; seed < (ulong)s.Seeds; seed++)
        {
            rows.AddRange(VbuSweep.Run(model, all, erased, options, seed, logger));
        }

        string markdown = Markdown(s, model, all.Count, erased.Length, rows);
        VbuCommand.WriteIds(run.Staged("erased_ids.txt"), erased);
        AtomicFile.WriteAllText(run.Staged("sweep.md"), markdown);
        JsonFile.Write(run.Staged("metrics.json"), new Dictionary<string, object?>
        {
            ["parameters"] = model.ParameterCount,
            ["rows"] = all.Count,
            ["erased_rows"] = erased.Length,
            ["summary"] = Summaries(rows),
            ["runs"] = rows,
            ["total_seconds"] = total.Elapsed.TotalSeconds,
        });
        JsonFile.Write(run.Staged(RunDirectory.ManifestName), VbuCommand.RunInfo("vbu sweep", new Dictionary<string, object?>
        {
            ["data"] = s.Data,
            ["model"] = model.Name,
            ["model_configuration"] = model.Configuration,
            ["posterior"] = Gaussian.KindName(s.Posterior),
            ["erase"] = s.Erase ?? DefaultErase(s, all),
            ["erase_seed"] = s.EraseSeed,
            ["seeds"] = s.Seeds,
            ["options"] = options,
        }, 0, torch.CPU));
        run.Publish();
        Console.WriteLine(markdown);
        VbuCommand.Progress($"done in {total.Elapsed.TotalSeconds:F0} s -> {output}");
        return Program.ExitOk;
    }

    private static IBayesianClassifier CreateModel(SweepSettings s, ClassificationData all)
    {
        if (s.Model == BayesianLogisticRegression.RegistryName)
        {
            return new BayesianLogisticRegression(all.FeatureCount, all.ClassCount, s.PriorStd, ScalarType.Float64, torch.CPU);
        }
        if (all.ClassCount != 2)
        {
            throw new InvalidDataException($"the sparse-gp model is a binary classifier; {s.Data} has {all.ClassCount} classes (use --model logistic-regression)");
        }
        if (s.Data.Kind == "moons")
        {
            // As the authors' MoonClassification: inducing inputs from an independent two-moons draw, so the model
            // does not depend on which rows are erased.
            ClassificationData draw = TwoMoons.Generate(s.Inducing, s.Data.Noise ?? 0.2, (s.Data.Seed ?? 0) + 1);
            return VbuCommand.CreateSparseGp(draw.Features.ToArray(), 2, s.LengthScale ?? MoonsLengthScale, s.Variance ?? MoonsVariance, torch.CPU);
        }
        if (s.Inducing > all.Count)
        {
            throw new InvalidDataException($"--inducing {s.Inducing} exceeds the {all.Count} rows");
        }
        double[] z = SparseGpClassifier.KMeansInducingPoints(all, s.Inducing, 0);
        return VbuCommand.CreateSparseGp(z, all.FeatureCount, s.LengthScale, s.Variance ?? 4.0, torch.CPU);
    }

    /// <summary>The erase set named by --erase (or the default), as sorted ids.</summary>
    private static int[] ChooseErased(SweepSettings s, ClassificationData all)
    {
        string spec = s.Erase ?? DefaultErase(s, all);
        string[] parts = spec.Split(':');
        int Count(string text)
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || n >= all.Count)
            {
                throw new InvalidDataException($"--erase {spec}: the count must be an integer in 1..{all.Count - 1} (erase something, keep something), got '{text}'");
            }
            return n;
        }
        int[] ids;
        switch (parts[0])
        {
            case "rightmost" when parts.Length == 2:
            {
                int n = Count(parts[1]);
                ids = Enumerable.Range(0, all.Count).OrderByDescending(i => all.Features[i * all.FeatureCount]).Take(n).Select(i => all.Ids[i]).ToArray();
                break;
            }
            case "random" when parts.Length == 2:
                ids = Shuffled(all.Ids.ToArray(), s.EraseSeed).Take(Count(parts[1])).ToArray();
                break;
            case "class" when parts.Length == 3:
            {
                if (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 0 || k >= all.ClassCount)
                {
                    throw new InvalidDataException($"--erase {spec}: the class must be a label in 0..{all.ClassCount - 1} ({string.Join(", ", all.ClassNames.Select((name, i) => $"{i} {name}"))})");
                }
                int[] ofClass = Enumerable.Range(0, all.Count).Where(i => all.Labels[i] == k).Select(i => all.Ids[i]).ToArray();
                int n = Count(parts[2]);
                if (n > ofClass.Length)
                {
                    throw new InvalidDataException($"--erase {spec}: class {k} has only {ofClass.Length} rows");
                }
                ids = Shuffled(ofClass, s.EraseSeed).Take(n).ToArray();
                break;
            }
            case "ids" when parts.Length >= 2:
                ids = VbuCommand.ReadIds(spec[4..], all, "--erase ids:");
                if (ids.Length >= all.Count)
                {
                    throw new InvalidDataException($"--erase {spec} lists every row; keep something");
                }
                break;
            default:
                throw new InvalidDataException($"unknown --erase '{spec}'; valid: rightmost:N, random:N, class:K:N, ids:FILE");
        }
        return ids.Order().ToArray();
    }

    private static string DefaultErase(SweepSettings s, ClassificationData all) =>
        s.Data.Kind == "moons"
            ? $"rightmost:{Math.Max(1, all.Count / 5)}"
            : throw new InvalidDataException("give --erase (rightmost:N, random:N, class:K:N or ids:FILE); only moons has a default request");

    private static int[] Shuffled(int[] ids, int seed)
    {
        var random = new Random(seed);
        for (int i = ids.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids;
    }

    private static double[] ParseLambdas(string text)
    {
        string[] tokens = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] >= 0 && values[i] <= 1))
            {
                throw new ArgumentException($"--lambdas: '{tokens[i]}' is not a number in [0, 1] (0: the erased data counts everywhere; 1: nowhere)");
            }
        }
        if (values.Length == 0)
        {
            throw new ArgumentException("--lambdas needs at least one value in [0, 1]");
        }
        return values;
    }

    /// <summary>Mean ± sd over seeds of every metric, per (method, λ), in the order of the rows.</summary>
    private static List<Dictionary<string, object?>> Summaries(IReadOnlyList<VbuSweepRow> rows) =>
        Groups(rows).Select(g => new Dictionary<string, object?>
        {
            ["method"] = g.Method,
            ["lambda"] = g.Lambda,
            ["kl_erased"] = Stat.Of(g.Rows.Select(r => (double?)r.KlErased)),
            ["kl_remaining"] = Stat.Of(g.Rows.Select(r => (double?)r.KlRemaining)),
            ["kl_posterior"] = Stat.Of(g.Rows.Select(r => (double?)r.KlPosterior)),
            ["accuracy_erased"] = Stat.Of(g.Rows.Select(r => (double?)r.AccuracyErased)),
            ["accuracy_remaining"] = Stat.Of(g.Rows.Select(r => (double?)r.AccuracyRemaining)),
            ["counted_fraction"] = Stat.Of(g.Rows.Select(r => r.CountedFraction)),
            ["effective_sample_size"] = Stat.Of(g.Rows.Select(r => r.EffectiveSampleSize)),
            ["seconds"] = Stat.Of(g.Rows.Select(r => (double?)r.Seconds)),
        }).ToList();

    private static IEnumerable<(string Method, double? Lambda, List<VbuSweepRow> Rows)> Groups(IReadOnlyList<VbuSweepRow> rows) =>
        rows.GroupBy(r => (r.Method, r.Lambda)).Select(g => (g.Key.Method, g.Key.Lambda, g.ToList()));

    private static string Markdown(SweepSettings s, IBayesianClassifier model, int count, int erased, IReadOnlyList<VbuSweepRow> rows)
    {
        var groups = Groups(rows).ToDictionary(g => (g.Method, g.Lambda), g => g.Rows);
        string Cell(string method, double? lambda, Func<VbuSweepRow, double?> metric, string format = "G3")
        {
            if (!groups.TryGetValue((method, lambda), out List<VbuSweepRow>? g))
            {
                return "—";
            }
            Stat? stat = Stat.Of(g.Select(metric));
            if (stat is not Stat v)
            {
                return "—";
            }
            string mean = v.Mean.ToString(format, CultureInfo.InvariantCulture);
            return v.Count > 1 ? $"{mean} ± {v.Std.ToString(format, CultureInfo.InvariantCulture)}" : mean;
        }
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"VBU λ sweep: {s.Data}; {model.Name} ({model.ParameterCount} parameters), {Gaussian.KindName(s.Posterior)}-covariance Gaussian posteriors; " +
            $"{erased} of {count} rows erased ({s.Erase ?? "default request"}); mean ± sd over {s.Seeds} seed(s), each refitting q(θ|D) and q(θ|D_r). " +
            $"Adam: fits {s.FitSteps} steps (lr {Invariant(s.FitLearningRate)}, {s.FitSamples} samples), unlearning {s.Steps} steps (lr {Invariant(s.LearningRate)}, rKL {Invariant(s.RklLearningRate)}; " +
            $"{s.EuboSamples} EUBO / {s.RklSamples} rKL samples), cosine-annealed; {s.EvaluationSamples} samples per predictive distribution.");
        sb.AppendLine();
        sb.AppendLine("Averaged KL divergence between predictive distributions, KL[q(y|x,D_r) ‖ q_u(y|x)], over x in the erased rows D_e and the remaining rows D_r (the paper's metric; 0 = predicts as retraining):");
        sb.AppendLine();
        sb.AppendLine("| λ | EUBO on D_e | EUBO on D_r | rKL on D_e | rKL on D_r |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        string fullE = Cell("full", null, r => r.KlErased);
        string fullR = Cell("full", null, r => r.KlRemaining);
        sb.AppendLine(CultureInfo.InvariantCulture, $"| q(θ\\|D), no unlearning | {fullE} | {fullR} | {fullE} | {fullR} |");
        foreach (double lambda in s.Lambdas)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {Invariant(lambda)} | {Cell("eubo", lambda, r => r.KlErased)} | {Cell("eubo", lambda, r => r.KlRemaining)} | {Cell("rkl", lambda, r => r.KlErased)} | {Cell("rkl", lambda, r => r.KlRemaining)} |");
        }
        sb.AppendLine();
        sb.AppendLine("KL between posteriors KL[q_u(θ) ‖ q(θ|D_r)] (closed form), predictive accuracy on D_e, and the share of samples inside the adjusted-likelihood region:");
        sb.AppendLine();
        sb.AppendLine("| posterior | λ | KL[q ‖ q(θ\\|D_r)] | accuracy on D_e | accuracy on D_r | counted | rKL ESS | seconds |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        void Line(string label, string method, double? lambda) =>
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {(lambda is double l ? Invariant(l) : "—")} | {Cell(method, lambda, r => r.KlPosterior)} | {Cell(method, lambda, r => r.AccuracyErased, "P1")} | {Cell(method, lambda, r => r.AccuracyRemaining, "P1")} | " +
                $"{Cell(method, lambda, r => r.CountedFraction, "P1")} | {Cell(method, lambda, r => r.EffectiveSampleSize, "F0")} | {Cell(method, lambda, r => r.Seconds, "F1")} |");
        Line("q(θ\\|D), no unlearning", "full", null);
        Line("q(θ\\|D_r), retrained", "retrained", null);
        foreach (double lambda in s.Lambdas)
        {
            if (s.Eubo)
            {
                Line("EUBO", "eubo", lambda);
            }
            if (s.ReverseKl)
            {
                Line("rKL", "rkl", lambda);
            }
        }
        return sb.ToString();
    }

    private static string Methods(SweepSettings s) => s.Eubo && s.ReverseKl ? "EUBO and rKL" : s.Eubo ? "EUBO" : "rKL";

    private static string Invariant(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static bool PositiveFinite(double value) => value > 0 && double.IsFinite(value);

    private static string? FirstProblem(params (bool Ok, string Message)[] checks) => checks.FirstOrDefault(c => !c.Ok).Message;

    private sealed record SweepSettings(
        VbuDataSpec Data,
        string Model,
        PosteriorKind Posterior,
        string? Erase,
        int EraseSeed,
        double[] Lambdas,
        bool Eubo,
        bool ReverseKl,
        int Seeds,
        int FitSteps,
        double FitLearningRate,
        int FitSamples,
        int? BatchSize,
        int Steps,
        double LearningRate,
        double RklLearningRate,
        int EuboSamples,
        int RklSamples,
        int EvaluationSamples,
        double PriorStd,
        int Inducing,
        double? LengthScale,
        double? Variance);
}
