using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeepUnlearn.Reporting;
using DeepUnlearn.TopicModels;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn topics train|unlearn|evaluate</c>: anchor-word topic models (Arora et al. 2013) and
/// their provable unlearning (Wei et al. 2025).
/// </summary>
internal static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "Anchor-word topic models and their (ε, δ)-unlearning (Wei et al., ICLR 2025).");
        command.Subcommands.Add(CreateTrain());
        command.Subcommands.Add(CreateUnlearn());
        command.Subcommands.Add(CreateEvaluate());
        return command;
    }

    private static Command CreateTrain()
    {
        var corpus = new Option<string>("--corpus") { Description = "A text file (one document per line) or a folder of .txt files (one document each).", Required = true };
        var topics = new Option<int>("--topics") { Description = "The number of topics K.", Required = true };
        var minCount = new Option<int>("--min-count") { Description = "Keep words that occur in at least this many documents.", DefaultValueFactory = _ => 2 };
        var maxVocab = new Option<int?>("--max-vocab") { Description = "Keep at most this many words (the most frequent)." };
        var anchorMinDocs = new Option<int>("--anchor-min-docs") { Description = "Anchor words must occur in at least this many documents.", DefaultValueFactory = _ => 10 };
        var projection = new Option<int>("--projection-dim") { Description = "Random projection dimension for the anchor search (0 = none).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var labels = new Option<string?>("--labels") { Description = "CSV of 'id,label' lines: also train a linear classifier head on the topic proportions." };
        var lambda = new Option<double>("--lambda") { Description = "L2 regularisation of the classifier head.", DefaultValueFactory = _ => 1e-2 };
        var device = new Option<string>("--device") { Description = "Device of the co-occurrence matrices: auto, cpu, cuda[:n].", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "Output folder for the model, run.json and metrics.json.", Required = true };
        var command = new Command("train", "Learn a topic model (FastAnchorWords + RecoverL2) from a corpus.")
        {
            corpus, topics, minCount, maxVocab, anchorMinDocs, projection, seed, labels, lambda, device, output,
        };
        command.SetAction(parse =>
        {
            int k = parse.GetValue(topics);
            if (k < 1 || parse.GetValue(minCount) < 1 || parse.GetValue(anchorMinDocs) < 1 || parse.GetValue(projection) < 0 || parse.GetValue(maxVocab) is < 1 || !(parse.GetValue(lambda) > 0))
            {
                return Usage("--topics, --min-count, --anchor-min-docs and --max-vocab must be at least 1, --projection-dim at least 0, --lambda positive");
            }
            if (!CommonOptions.TryParseDevice(parse.GetValue(device)!, out Device dev))
            {
                return Usage($"unknown device '{parse.GetValue(device)}'; valid: auto, cpu, cuda, cuda:N");
            }
            var options = new AnchorTopicModelOptions
            {
                TopicCount = k,
                AnchorMinDocuments = parse.GetValue(anchorMinDocs),
                ProjectionDimension = parse.GetValue(projection),
                Seed = parse.GetValue(seed),
            };
            return Train(parse.GetValue(corpus)!, parse.GetValue(minCount), parse.GetValue(maxVocab), options, parse.GetValue(labels), parse.GetValue(lambda), dev, parse.GetValue(output)!);
        });
        return command;
    }

    private static Command CreateUnlearn()
    {
        var model = new Option<string>("--model") { Description = "A model folder written by 'topics train' or 'topics unlearn'.", Required = true };
        var forgetIds = new Option<string>("--forget-ids") { Description = "File of document ids to unlearn (one per line, or separated by commas/spaces).", Required = true };
        var epsilon = new Option<double>("--epsilon") { Description = "ε of (ε, δ)-unlearning (> 0; the Gaussian mechanism is proven for ε < 1).", DefaultValueFactory = _ => 1.0 };
        var delta = new Option<double>("--delta") { Description = "δ of (ε, δ)-unlearning, in (0, 1).", DefaultValueFactory = _ => 1e-5 };
        var update = new Option<string>("--update") { Description = "newton (the paper's Newton step) or exact (re-solve RecoverL2).", DefaultValueFactory = _ => "newton" };
        var noNoise = new Option<bool>("--no-noise") { Description = "Skip the Gaussian noise (diagnostics only: not certified)." };
        var headOnly = new Option<bool>("--head-only") { Description = "U_head: unlearn the classifier head only, keeping the topic model." };
        var retrain = new Option<bool>("--retrain") { Description = "Also retrain on the retained documents and report the distance to it." };
        var tolerance = new Option<double>("--tolerance") { Description = "τ of the deletion-capacity bound (noise norm ≤ τ‖Ã‖_F).", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string>("--out") { Description = "Output folder for the unlearned model, run.json and metrics.json.", Required = true };
        var command = new Command("unlearn", "Delete documents from a topic model: downdate Q, update with fixed anchors, add calibrated noise.")
        {
            model, forgetIds, epsilon, delta, update, noNoise, headOnly, retrain, tolerance, seed, output,
        };
        command.SetAction(parse =>
        {
            double eps = parse.GetValue(epsilon);
            double del = parse.GetValue(delta);
            if (!(eps > 0) || double.IsInfinity(eps))
            {
                return Usage($"--epsilon must be a finite number > 0, got {eps.ToString(CultureInfo.InvariantCulture)}");
            }
            if (!(del > 0 && del < 1))
            {
                return Usage($"--delta must lie strictly between 0 and 1, got {del.ToString(CultureInfo.InvariantCulture)}");
            }
            if (!(parse.GetValue(tolerance) > 0))
            {
                return Usage("--tolerance must be positive");
            }
            TopicUnlearningUpdate mode;
            switch (parse.GetValue(update))
            {
                case "newton":
                    mode = TopicUnlearningUpdate.NewtonStep;
                    break;
                case "exact":
                    mode = TopicUnlearningUpdate.ExactRecovery;
                    break;
                default:
                    return Usage($"unknown --update '{parse.GetValue(update)}'; valid: newton, exact");
            }
            var options = new TopicUnlearningOptions
            {
                Epsilon = eps,
                Delta = del,
                Update = mode,
                AddNoise = !parse.GetValue(noNoise),
                Seed = parse.GetValue(seed),
                UtilityTolerance = parse.GetValue(tolerance),
            };
            return Unlearn(parse.GetValue(model)!, parse.GetValue(forgetIds)!, options, parse.GetValue(headOnly), parse.GetValue(retrain), parse.GetValue(output)!);
        });
        return command;
    }

    private static Command CreateEvaluate()
    {
        var model = new Option<string>("--model") { Description = "A model folder.", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "A corpus to evaluate on (file or folder); default: the model's retained training documents." };
        var labels = new Option<string?>("--labels") { Description = "CSV of 'id,label' lines for --corpus: report the head's accuracy." };
        var top = new Option<int>("--top") { Description = "Top words shown per topic.", DefaultValueFactory = _ => 10 };
        var output = new Option<string?>("--out") { Description = "Write metrics.json into this folder." };
        var command = new Command("evaluate", "Report topic quality: log-likelihood per token, reconstruction error, top words.") { model, corpus, labels, top, output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(top) < 1)
            {
                return Usage("--top must be at least 1");
            }
            return Evaluate(parse.GetValue(model)!, parse.GetValue(corpus), parse.GetValue(labels), parse.GetValue(top), parse.GetValue(output));
        });
        return command;
    }

    private static int Train(string corpusPath, int minCount, int? maxVocab, AnchorTopicModelOptions options, string? labelsPath, double lambda, Device device, string output)
    {
        var total = Stopwatch.StartNew();
        Progress($"reading corpus {corpusPath}");
        TextCorpus text = TextCorpus.Load(corpusPath);
        BagOfWordsCorpus corpus = BagOfWordsCorpus.FromText(text, TextTokenizer.Default, minCount, maxVocab);
        Progress($"{corpus.Count} documents, vocabulary {corpus.Vocabulary.Count} words, {corpus.TokenCount} tokens");
        TopicLabels? labels = labelsPath is null ? null : TopicLabels.Load(labelsPath, corpus.Count);
        var watch = Stopwatch.StartNew();
        Progress($"learning {options.TopicCount} topics (co-occurrence, FastAnchorWords, RecoverL2)");
        AnchorTopicModel model = AnchorTopicModel.Train(corpus, options, device);
        double trainSeconds = watch.Elapsed.TotalSeconds;
        TopicClassifierHead? head = null;
        double? headAccuracy = null;
        if (labels is not null)
        {
            int[] ids = labels.LabelledIds().Where(id => corpus.Documents[id].Length > 0).ToArray();
            Progress($"training the classifier head on {ids.Length} labelled documents");
            double[][] theta = model.InferTopics(ids.Select(id => corpus.Documents[id]).ToArray());
            int[] y = ids.Select(id => labels.Labels[id]).ToArray();
            head = TopicClassifierHead.Train(theta, y, labels.ClassNames, lambda, ids);
            headAccuracy = head.Accuracy(theta, y);
        }
        using var bundle = new TopicModelBundle(model, corpus.Documents.Where(d => d.Length > 0).ToArray(), head, labels);
        bundle.Save(output);
        TopicModelEvaluation evaluation = TopicModelEvaluation.Evaluate(model, corpus.Documents);
        JsonFile.Write(Path.Combine(output, "run.json"), RunInfo("topics train", new Dictionary<string, object?>
        {
            ["corpus"] = Path.GetFullPath(corpusPath),
            ["min_count"] = minCount,
            ["max_vocab"] = maxVocab,
            ["labels"] = labelsPath is null ? null : Path.GetFullPath(labelsPath),
            ["lambda"] = lambda,
            ["model"] = options,
        }, options.Seed, device));
        JsonFile.Write(Path.Combine(output, "metrics.json"), new Dictionary<string, object?>
        {
            ["documents"] = corpus.Count,
            ["training_documents"] = model.DocumentIds.Count,
            ["vocabulary_size"] = model.VocabularySize,
            ["topics"] = model.TopicCount,
            ["anchor_words"] = model.Anchors.Select(a => model.Vocabulary.Words[a]).ToArray(),
            ["train_seconds"] = trainSeconds,
            ["total_seconds"] = total.Elapsed.TotalSeconds,
            ["log_likelihood_per_token"] = evaluation.LogLikelihoodPerToken,
            ["perplexity"] = evaluation.Perplexity,
            ["mean_l1_reconstruction"] = evaluation.MeanL1Reconstruction,
            ["head_train_accuracy"] = headAccuracy,
            ["top_words"] = evaluation.TopWords,
        });
        Console.WriteLine($"trained {model.TopicCount} topics over {model.VocabularySize} words from {model.DocumentIds.Count} documents in {trainSeconds:F2} s -> {output}");
        PrintTopWords(evaluation.TopWords, model);
        return Program.ExitOk;
    }

    private static int Unlearn(string modelPath, string idsPath, TopicUnlearningOptions options, bool headOnly, bool retrain, string output)
    {
        Progress($"loading model {modelPath}");
        using TopicModelBundle bundle = TopicModelBundle.Load(modelPath);
        AnchorTopicModel model = bundle.Model;
        int[] ids = ReadIds(idsPath, model.CorpusDocumentCount);
        var deleted = new HashSet<int>(model.DeletedDocumentIds);
        int[] already = ids.Where(deleted.Contains).ToArray();
        if (already.Length > 0)
        {
            throw new InvalidDataException($"document(s) {string.Join(", ", already.Take(10))} were already unlearned from this model");
        }
        var byId = bundle.Documents.ToDictionary(d => d.Id);
        BagOfWordsDocument[] forget = ids.Select(id => byId.TryGetValue(id, out BagOfWordsDocument? d) ? d : new BagOfWordsDocument(id, [], [])).ToArray();
        var metrics = new Dictionary<string, object?>
        {
            ["requested"] = ids.Length,
            ["epsilon"] = options.Epsilon,
            ["delta"] = options.Delta,
            ["epsilon_in_proven_regime"] = GaussianMechanism.IsProvenRegime(options.Epsilon),
            ["mode"] = headOnly ? "head" : "base",
        };

        AnchorTopicModel? unlearned = null;
        try
        {
            var watch = Stopwatch.StartNew();
            if (!headOnly)
            {
                Progress($"unlearning {ids.Length} documents (U_base, {options.Update})");
                TopicUnlearningResult result = TopicModelUnlearner.Unlearn(model, forget, options);
                unlearned = result.Model;
                metrics["update"] = options.Update.ToString();
                metrics["documents_before"] = result.DocumentCountBefore;
                metrics["deleted"] = result.DeletedCount;
                metrics["skipped_without_words"] = result.SkippedCount;
                metrics["cooccurrence_l1_change"] = result.CooccurrenceChange;
                metrics["min_anchor_probability"] = result.MinAnchorProbability;
                metrics["gram_min_eigenvalue"] = result.GramMinEigenvalue;
                metrics["sensitivity"] = result.Sensitivity;
                metrics["noise_std"] = result.NoiseStd;
                metrics["noise_added"] = result.NoiseAdded;
                metrics["noise_norm"] = result.NoiseNorm;
                metrics["deletion_capacity"] = result.DeletionCapacity;
                metrics["paper_capacity_rate"] = result.PaperCapacityRate;
                metrics["within_deletion_capacity"] = result.DeletedCount <= result.DeletionCapacity;
                metrics["distance_to_original_frobenius"] = FrobeniusDistance(unlearned.TopicWord, model.TopicWord);
            }
            TopicClassifierHead? head = bundle.Head;
            if (head is not null)
            {
                int[] headIds = ids.Where(new HashSet<int>(head.DocumentIds).Contains).ToArray();
                if (headIds.Length > 0)
                {
                    Progress($"unlearning {headIds.Length} documents from the classifier head (U_head)");
                    double[][] theta = model.InferTopics(headIds.Select(id => byId[id]).ToArray());
                    HeadUnlearningResult headResult = HeadUnlearner.Unlearn(head, headIds, theta, headIds.Select(id => bundle.Labels!.Labels[id]).ToArray(), options);
                    head = headResult.Head;
                    metrics["head_deleted"] = headResult.DeletedCount;
                    metrics["head_sensitivity"] = headResult.Sensitivity;
                    metrics["head_noise_std"] = headResult.NoiseStd;
                }
            }
            else if (headOnly)
            {
                throw new InvalidDataException($"--head-only needs a model trained with --labels; '{modelPath}' has no classifier head");
            }
            metrics["unlearn_seconds"] = watch.Elapsed.TotalSeconds;

            var removed = new HashSet<int>(ids);
            if (unlearned is null)
            {
                // U_head keeps the topic model: copy it unchanged.
                unlearned = TopicModelBundle.Load(modelPath).Model;
            }
            // U_head keeps the topic model and so its statistics of every document: keep their word counts too.
            var retained = headOnly ? bundle.Documents.ToArray() : bundle.Documents.Where(d => !removed.Contains(d.Id)).ToArray();
            if (retrain && !headOnly)
            {
                Retrain(bundle, retained.Select(d => d.Id).ToArray(), unlearned, metrics);
            }
            using var result2 = new TopicModelBundle(unlearned, retained, head, bundle.Labels);
            unlearned = null;
            result2.Save(output);
            JsonFile.Write(Path.Combine(output, "run.json"), RunInfo("topics unlearn", new Dictionary<string, object?>
            {
                ["model"] = Path.GetFullPath(modelPath),
                ["forget_ids"] = Path.GetFullPath(idsPath),
                ["head_only"] = headOnly,
                ["retrain"] = retrain,
                ["unlearning"] = options,
            }, options.Seed, result2.Model.Statistics.Device));
            JsonFile.Write(Path.Combine(output, "metrics.json"), metrics);
            Console.WriteLine($"unlearned {ids.Length} documents in {metrics["unlearn_seconds"]:0.000} s -> {output}");
            if (metrics.TryGetValue("noise_std", out object? sigma))
            {
                Console.WriteLine($"noise σ = {sigma:E3} (sensitivity {metrics["sensitivity"]:E3}); deletion capacity {metrics["deletion_capacity"]}");
            }
            return Program.ExitOk;
        }
        finally
        {
            unlearned?.Dispose();
        }
    }

    private static void Retrain(TopicModelBundle bundle, int[] retainedIds, AnchorTopicModel unlearned, Dictionary<string, object?> metrics)
    {
        Progress($"retraining on {retainedIds.Length} retained documents");
        BagOfWordsCorpus corpus = bundle.AsCorpus();
        var watch = Stopwatch.StartNew();
        using AnchorTopicModel fresh = AnchorTopicModel.Train(corpus, bundle.Model.Options, bundle.Model.Statistics.Device, retainedIds);
        double seconds = watch.Elapsed.TotalSeconds;
        using AnchorTopicModel fixedAnchors = AnchorTopicModel.Train(corpus, bundle.Model.Options, bundle.Model.Statistics.Device, retainedIds, bundle.Model.Anchors);
        TopicMatch match = TopicMatching.Match(unlearned.TopicWord, fresh.TopicWord);
        TopicMatch originalMatch = TopicMatching.Match(bundle.Model.TopicWord, fresh.TopicWord);
        metrics["retrain_seconds"] = seconds;
        metrics["speedup"] = seconds / Math.Max((double)metrics["unlearn_seconds"]!, 1e-9);
        metrics["retrain_same_anchors"] = fresh.Anchors.Order().SequenceEqual(bundle.Model.Anchors.Order());
        metrics["distance_to_retrained_mean_l1"] = match.MeanL1Error;
        metrics["original_distance_to_retrained_mean_l1"] = originalMatch.MeanL1Error;
        metrics["distance_to_fixed_anchor_retrain_frobenius"] = FrobeniusDistance(unlearned.TopicWord, fixedAnchors.TopicWord);
        metrics["original_distance_to_fixed_anchor_retrain_frobenius"] = FrobeniusDistance(bundle.Model.TopicWord, fixedAnchors.TopicWord);
    }

    private static int Evaluate(string modelPath, string? corpusPath, string? labelsPath, int top, string? output)
    {
        using TopicModelBundle bundle = TopicModelBundle.Load(modelPath);
        AnchorTopicModel model = bundle.Model;
        BagOfWordsCorpus corpus = corpusPath is null ? bundle.AsCorpus() : BagOfWordsCorpus.FromText(TextCorpus.Load(corpusPath), model.Vocabulary);
        TopicModelEvaluation evaluation = TopicModelEvaluation.Evaluate(model, corpus.Documents);
        var metrics = new Dictionary<string, object?>
        {
            ["documents"] = evaluation.DocumentCount,
            ["tokens"] = evaluation.TokenCount,
            ["log_likelihood_per_token"] = evaluation.LogLikelihoodPerToken,
            ["perplexity"] = evaluation.Perplexity,
            ["mean_l1_reconstruction"] = evaluation.MeanL1Reconstruction,
            ["top_words"] = model.TopWords(top),
        };
        if (labelsPath is not null)
        {
            if (bundle.Head is null)
            {
                throw new InvalidDataException($"--labels needs a model with a classifier head; '{modelPath}' has none (train with --labels)");
            }
            TopicLabels labels = TopicLabels.Load(labelsPath, corpus.Count);
            int[] ids = labels.LabelledIds().Where(id => corpus.Documents[id].Length > 0).ToArray();
            var index = bundle.Head.ClassNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            string[] unknown = labels.ClassNames.Where(c => !index.ContainsKey(c)).ToArray();
            if (unknown.Length > 0)
            {
                throw new InvalidDataException($"labels {string.Join(", ", unknown)} are not classes of the head; valid: {string.Join(", ", bundle.Head.ClassNames)}");
            }
            double[][] theta = model.InferTopics(ids.Select(id => corpus.Documents[id]).ToArray());
            metrics["head_accuracy"] = bundle.Head.Accuracy(theta, ids.Select(id => index[labels.ClassNames[labels.Labels[id]]]).ToArray());
        }
        Console.WriteLine($"documents {evaluation.DocumentCount}, tokens {evaluation.TokenCount}");
        Console.WriteLine($"log-likelihood per token {evaluation.LogLikelihoodPerToken:F4} (perplexity {evaluation.Perplexity:F1}), mean L1 reconstruction {evaluation.MeanL1Reconstruction:F4}");
        if (metrics.TryGetValue("head_accuracy", out object? accuracy))
        {
            Console.WriteLine($"head accuracy {accuracy:F4}");
        }
        PrintTopWords(model.TopWords(top), model);
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            JsonFile.Write(Path.Combine(output, "metrics.json"), metrics);
        }
        return Program.ExitOk;
    }

    private static int[] ReadIds(string path, int corpusCount)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"forget-ids file '{path}' not found; give a file of document ids (one per line, or separated by commas or spaces)", path);
        }
        var ids = new List<int>();
        var seen = new HashSet<int>();
        string[] lines = File.ReadAllLines(path);
        for (int n = 0; n < lines.Length; n++)
        {
            foreach (string token in lines[n].Split([',', ' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id))
                {
                    throw new InvalidDataException($"{path}:{n + 1}: '{token}' is not a document id (an integer from 0 to {corpusCount - 1})");
                }
                if (id < 0 || id >= corpusCount)
                {
                    throw new InvalidDataException($"{path}:{n + 1}: document id {id} is out of range; valid ids are 0 to {corpusCount - 1} (line number or sorted file index in the training corpus)");
                }
                if (!seen.Add(id))
                {
                    throw new InvalidDataException($"{path}:{n + 1}: document id {id} is listed twice");
                }
                ids.Add(id);
            }
        }
        if (ids.Count == 0)
        {
            throw new InvalidDataException($"forget-ids file '{path}' lists no document ids; the erase set must not be empty");
        }
        return ids.ToArray();
    }

    private static Dictionary<string, object?> RunInfo(string command, Dictionary<string, object?> config, ulong seed, Device device) => new()
    {
        ["command"] = command,
        ["config"] = config,
        ["seed"] = seed,
        ["deepunlearn_version"] = ToolkitInfo.Version,
        ["libtorch_version"] = LibTorch.Version,
        ["device"] = device.ToString(),
        ["model_format"] = $"{TopicModelBundle.FormatName} v1 (JSON + raw float64 arrays.bin; safetensors once the binding has it)",
        ["started_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    private static void PrintTopWords(string[][] topWords, AnchorTopicModel model)
    {
        for (int k = 0; k < topWords.Length; k++)
        {
            Console.WriteLine($"topic {k.ToString(CultureInfo.InvariantCulture),2} [anchor {model.Vocabulary.Words[model.Anchors[k]]}]: {string.Join(' ', topWords[k])}");
        }
    }

    private static double FrobeniusDistance(double[,] a, double[,] b)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                s += (a[i, j] - b[i, j]) * (a[i, j] - b[i, j]);
            }
        }
        return Math.Sqrt(s);
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return Program.ExitUsage;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[topics] {message}");
}
