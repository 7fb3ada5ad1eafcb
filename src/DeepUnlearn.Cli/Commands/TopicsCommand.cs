using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using DeepUnlearn.TopicModels;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn topics train|unlearn|evaluate|corpus</c>: anchor-word topic models (Arora et al. 2013),
/// their provable unlearning (Wei et al. 2025) and a real labelled corpus built offline from apt's indexes.
/// </summary>
internal static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "Anchor-word topic models and their (ε, δ)-unlearning (Wei et al., ICLR 2025).");
        command.Subcommands.Add(CreateTrain());
        command.Subcommands.Add(CreateUnlearn());
        command.Subcommands.Add(CreateEvaluate());
        command.Subcommands.Add(CreateCorpus());
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
        var labels = new Option<string?>("--labels") { Description = "CSV of 'id,label' lines: also fine-tune a linear classifier head on the topic features Ãᵀx̄ / (x̄ᵀp)." };
        var lambda = new Option<double>("--lambda") { Description = "L2 regularisation of the classifier head.", DefaultValueFactory = _ => 1e-2 };
        var device = new Option<string>("--device") { Description = $"Device of the co-occurrence matrices: {DeviceResolver.ValidSpecs}.", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "Output folder for the model, run.json and metrics.json.", Required = true };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("train", "Learn a topic model (FastAnchorWords + RecoverL2) from a corpus.")
        {
            overwrite,
            corpus, topics, minCount, maxVocab, anchorMinDocs, projection, seed, labels, lambda, device, output,
        };
        command.SetAction(parse =>
        {
            int k = parse.GetValue(topics);
            if (k < 1 || parse.GetValue(minCount) < 1 || parse.GetValue(anchorMinDocs) < 1 || parse.GetValue(projection) < 0 || parse.GetValue(maxVocab) is < 1 || !(parse.GetValue(lambda) > 0))
            {
                return Usage("--topics, --min-count, --anchor-min-docs and --max-vocab must be at least 1, --projection-dim at least 0, --lambda positive");
            }
            Device dev;
            try
            {
                // Before any work: an unknown spelling, or CUDA where libtorch sees none, is a usage error.
                dev = CommonOptions.ResolveDevice(parse.GetValue(device)!);
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }
            var options = new AnchorTopicModelOptions
            {
                TopicCount = k,
                AnchorMinDocuments = parse.GetValue(anchorMinDocs),
                ProjectionDimension = parse.GetValue(projection),
                Seed = parse.GetValue(seed),
            };
            return Train(parse.GetValue(corpus)!, parse.GetValue(minCount), parse.GetValue(maxVocab), options, parse.GetValue(labels), parse.GetValue(lambda), dev, parse.GetValue(output)!, parse.GetValue(overwrite));
        });
        return command;
    }

    private static Command CreateUnlearn()
    {
        var model = new Option<string>("--model") { Description = "A model folder written by 'topics train' or 'topics unlearn'.", Required = true };
        var forgetIds = new Option<string>("--forget-ids") { Description = "File of document ids to unlearn (one per line, or separated by commas/spaces).", Required = true };
        var epsilon = new Option<double>("--epsilon") { Description = "ε of (ε, δ)-unlearning, in (0, 1) where the Gaussian mechanism is proven (larger needs --allow-epsilon-outside-proven-range).", DefaultValueFactory = _ => 0.5 };
        var allowLarge = new Option<bool>("--allow-epsilon-outside-proven-range") { Description = "Accept ε ≥ 1 (the same σ formula; the guarantee is then not proven, and the report says so)." };
        var delta = new Option<double>("--delta") { Description = "δ of (ε, δ)-unlearning, in (0, 1).", DefaultValueFactory = _ => 1e-5 };
        var update = new Option<string>("--update") { Description = "newton (the paper's Newton step) or exact (re-solve RecoverL2).", DefaultValueFactory = _ => "newton" };
        var noNoise = new Option<bool>("--no-noise") { Description = "Skip the Gaussian noise (diagnostics only: not certified)." };
        var mode = new Option<string>("--mode")
        {
            Description = "base: U_base, delete pre-training documents from the topic model (and re-fit the head on the new Ã); "
                + "head: U_head, delete pre-training documents through the fine-tuned model only, the base model unchanged (needs a head); "
                + "task-documents: remove labelled documents from the head's own training set (Newton step, Sekhari et al. 2021).",
            DefaultValueFactory = _ => "base",
        };
        var skipAnchorCheck = new Option<bool>("--skip-anchor-check") { Description = "Do not re-run FastAnchorWords on the retained documents (faster; the guarantee is then stated only relative to a same-anchor retrain)." };
        var retrain = new Option<bool>("--retrain") { Description = "Also retrain on the retained documents (full and with the same anchors) and report the distances." };
        var tolerance = new Option<double>("--tolerance") { Description = "τ of the deletion-capacity bound (noise norm ≤ τ‖Ã‖_F).", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string>("--out") { Description = "Output folder for the unlearned model, run.json and metrics.json.", Required = true };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("unlearn", "Delete documents from a topic model: downdate Q, update with fixed anchors, add calibrated noise.")
        {
            overwrite,
            model, forgetIds, epsilon, allowLarge, delta, update, noNoise, mode, skipAnchorCheck, retrain, tolerance, seed, output,
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
            if (!GaussianMechanism.IsProvenRegime(eps) && !parse.GetValue(allowLarge))
            {
                return Usage($"--epsilon {eps.ToString(CultureInfo.InvariantCulture)} is outside (0, 1), where the Gaussian mechanism's calibration is proven; "
                    + "choose 0 < ε < 1, or add --allow-epsilon-outside-proven-range to accept an unproven guarantee");
            }
            UnlearnMode unlearnMode;
            switch (parse.GetValue(mode))
            {
                case "base":
                    unlearnMode = UnlearnMode.Base;
                    break;
                case "head":
                    unlearnMode = UnlearnMode.Head;
                    break;
                case "task-documents":
                    unlearnMode = UnlearnMode.TaskDocuments;
                    break;
                default:
                    return Usage($"unknown --mode '{parse.GetValue(mode)}'; valid: base, head, task-documents");
            }
            if (!(parse.GetValue(tolerance) > 0))
            {
                return Usage("--tolerance must be positive");
            }
            TopicUnlearningUpdate updateMode;
            switch (parse.GetValue(update))
            {
                case "newton":
                    updateMode = TopicUnlearningUpdate.NewtonStep;
                    break;
                case "exact":
                    updateMode = TopicUnlearningUpdate.ExactRecovery;
                    break;
                default:
                    return Usage($"unknown --update '{parse.GetValue(update)}'; valid: newton, exact");
            }
            var options = new TopicUnlearningOptions
            {
                Epsilon = eps,
                Delta = del,
                AllowEpsilonOutsideProvenRange = parse.GetValue(allowLarge),
                Update = updateMode,
                AddNoise = !parse.GetValue(noNoise),
                CheckAnchors = !parse.GetValue(skipAnchorCheck),
                Seed = parse.GetValue(seed),
                UtilityTolerance = parse.GetValue(tolerance),
            };
            return Unlearn(parse.GetValue(model)!, parse.GetValue(forgetIds)!, options, unlearnMode, parse.GetValue(retrain), parse.GetValue(output)!, parse.GetValue(overwrite));
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
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("evaluate", "Report topic quality: log-likelihood per token, reconstruction error, top words.") { model, corpus, labels, top, output, overwrite };
        command.SetAction(parse =>
        {
            if (parse.GetValue(top) < 1)
            {
                return Usage("--top must be at least 1");
            }
            return Evaluate(parse.GetValue(model)!, parse.GetValue(corpus), parse.GetValue(labels), parse.GetValue(top), parse.GetValue(output), parse.GetValue(overwrite));
        });
        return command;
    }

    private static int Train(string corpusPath, int minCount, int? maxVocab, AnchorTopicModelOptions options, string? labelsPath, double lambda, Device device, string output, bool overwrite)
    {
        var total = Stopwatch.StartNew();
        // --out is this run's (RunDirectory); the model, run.json and metrics.json are staged and published together.
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
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
            (BagOfWordsDocument[] docs, int[] y) = LabelledDocuments(corpus.Documents, labels);
            Progress($"fine-tuning the classifier head on {docs.Length} labelled documents");
            head = TopicClassifierHead.Train(model, docs, y, labels.ClassNames, lambda);
            headAccuracy = FineTunedTopicClassifier.Compose(model.JointWordTopic, head).Accuracy(docs, y);
        }
        using var bundle = new TopicModelBundle(model, corpus.Documents.Where(d => d.Length > 0).ToArray(), head, labels);
        bundle.Save(run.StagingFolder());
        TopicModelEvaluation evaluation = TopicModelEvaluation.Evaluate(model, corpus.Documents);
        JsonFile.Write(run.Staged(RunDirectory.ManifestName), RunInfo("topics train", new Dictionary<string, object?>
        {
            ["corpus"] = Path.GetFullPath(corpusPath),
            ["min_count"] = minCount,
            ["max_vocab"] = maxVocab,
            ["labels"] = labelsPath is null ? null : Path.GetFullPath(labelsPath),
            ["lambda"] = lambda,
            ["model"] = options,
        }, options.Seed, device));
        JsonFile.Write(run.Staged("metrics.json"), new Dictionary<string, object?>
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
            ["constants"] = TopicModelConstants.Measure(model),
            ["top_words"] = evaluation.TopWords,
        });
        run.Publish(TopicModelBundle.OptionalFiles);
        Console.WriteLine($"trained {model.TopicCount} topics over {model.VocabularySize} words from {model.DocumentIds.Count} documents in {trainSeconds:F2} s -> {output}");
        if (headAccuracy is double accuracy)
        {
            Console.WriteLine($"fine-tuned head: training accuracy {accuracy:F4} over {labels!.ClassNames.Count} classes");
        }
        PrintTopWords(evaluation.TopWords, model);
        return Program.ExitOk;
    }

    private static int Unlearn(string modelPath, string idsPath, TopicUnlearningOptions options, UnlearnMode mode, bool retrain, string output, bool overwrite)
    {
        // As in Train: --out is claimed, the outputs staged and published together.
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        Progress($"loading model {modelPath}");
        using TopicModelBundle bundle = TopicModelBundle.Load(modelPath);
        AnchorTopicModel model = bundle.Model;
        int[] ids = ReadIds(idsPath, model.CorpusDocumentCount);
        int[] already = ids.Where(new HashSet<int>(model.DeletedDocumentIds.Concat(bundle.HeadForgottenDocumentIds)).Contains).ToArray();
        if (already.Length > 0)
        {
            throw new InvalidDataException($"document(s) {string.Join(", ", already.Take(10))} were already unlearned from this model");
        }
        if (mode != UnlearnMode.Base && bundle.Head is null)
        {
            throw new InvalidDataException($"--mode {ModeName(mode)} needs a model fine-tuned with --labels; '{modelPath}' has no classifier head");
        }
        var metrics = new Dictionary<string, object?>
        {
            ["mode"] = ModeName(mode),
            ["requested"] = ids.Length,
            ["epsilon"] = options.Epsilon,
            ["delta"] = options.Delta,
            ["privacy_regime"] = options.Regime,
            ["epsilon_in_proven_regime"] = options.Regime == PrivacyRegime.Proven,
        };
        var watch = Stopwatch.StartNew();
        TopicModelBundle result = mode switch
        {
            UnlearnMode.Base => UnlearnBase(bundle, ids, options, metrics),
            UnlearnMode.Head => UnlearnHead(bundle, ids, options, metrics),
            _ => UnlearnTaskDocuments(bundle, ids, options, metrics),
        };
        metrics["unlearn_seconds"] = watch.Elapsed.TotalSeconds;
        try
        {
            if (retrain && mode == UnlearnMode.Base)
            {
                RetrainBase(bundle, result, metrics);
            }
            else if (retrain && mode == UnlearnMode.Head)
            {
                RetrainHead(bundle, result, metrics);
            }
            result.Save(run.StagingFolder());
            JsonFile.Write(run.Staged(RunDirectory.ManifestName), RunInfo("topics unlearn", new Dictionary<string, object?>
            {
                ["model"] = Path.GetFullPath(modelPath),
                ["forget_ids"] = Path.GetFullPath(idsPath),
                ["mode"] = ModeName(mode),
                ["retrain"] = retrain,
                ["unlearning"] = options,
            }, options.Seed, result.Model.Statistics.Device));
            JsonFile.Write(run.Staged("metrics.json"), metrics);
            run.Publish(TopicModelBundle.OptionalFiles);
            Console.WriteLine($"unlearned {ids.Length} documents ({ModeName(mode)}) in {metrics["unlearn_seconds"]:0.000} s -> {output}");
            if (metrics.TryGetValue("noise_std", out object? sigma))
            {
                string capacity = metrics.TryGetValue("deletion_capacity", out object? c) ? $"; deletion capacity {c}" : string.Empty;
                Console.WriteLine($"noise σ = {sigma:E3} (sensitivity {metrics["sensitivity"]:E3}){capacity}");
            }
            Console.WriteLine($"privacy regime: {(options.Regime == PrivacyRegime.Proven ? "proven (0 < ε < 1)" : "NOT proven (ε ≥ 1, accepted by --allow-epsilon-outside-proven-range)")}");
            if (metrics.TryGetValue("guarantee", out object? guarantee))
            {
                Console.WriteLine($"guarantee: {guarantee}");
            }
            return Program.ExitOk;
        }
        finally
        {
            // U_head and task-document removal keep the base model: the result bundle shares it with the input.
            if (!ReferenceEquals(result.Model, bundle.Model))
            {
                result.Dispose();
            }
        }
    }

    // U_base; the forget set includes documents unlearned earlier through the head (the base still held them).
    private static TopicModelBundle UnlearnBase(TopicModelBundle bundle, int[] ids, TopicUnlearningOptions options, Dictionary<string, object?> metrics)
    {
        AnchorTopicModel model = bundle.Model;
        int[] all = ids.Concat(bundle.HeadForgottenDocumentIds).Order().ToArray();
        BagOfWordsDocument[] forget = Lookup(bundle, all);
        Progress($"unlearning {all.Length} documents from the topic model (U_base, {options.Update}){(all.Length > ids.Length ? $", including {all.Length - ids.Length} unlearned earlier through the head" : "")}");
        TopicUnlearningResult result = TopicModelUnlearner.Unlearn(model, forget, options);
        AnchorTopicModel unlearned = result.Model;
        metrics["topic_unlearn_seconds"] = result.Elapsed.TotalSeconds;
        metrics["anchor_check_seconds"] = result.AnchorCheckElapsed.TotalSeconds;
        try
        {
            metrics["also_deleted_head_forgotten"] = all.Length - ids.Length;
            metrics["update"] = options.Update.ToString();
            metrics["documents_before"] = result.DocumentCountBefore;
            metrics["deleted"] = result.DeletedCount;
            metrics["skipped_without_words"] = result.SkippedCount;
            metrics["cooccurrence_l1_change"] = result.CooccurrenceChange;
            metrics["constants"] = result.Constants;
            metrics["sensitivity_terms"] = result.Sensitivity;
            metrics["sensitivity"] = result.Sensitivity.Bound;
            metrics["noise_std"] = result.NoiseStd;
            metrics["noise_added"] = result.NoiseAdded;
            metrics["noise_norm"] = result.NoiseNorm;
            metrics["deletion_capacity"] = result.DeletionCapacity;
            metrics["documents_needed_for_one_deletion"] = result.DocumentsNeededForOneDeletion;
            metrics["paper_capacity_rate"] = result.PaperCapacityRate;
            metrics["within_deletion_capacity"] = result.DeletedCount <= result.DeletionCapacity;
            metrics["newton_exact_words"] = result.ExactWords;
            metrics["anchors_unchanged_on_reselection"] = result.AnchorsUnchanged;
            metrics["reselected_anchor_words"] = result.ReselectedAnchors?.Select(a => model.Vocabulary.Words[a]).ToArray();
            metrics["guarantee_reference"] = result.AnchorsUnchanged == true ? "same-anchor retrain and full retrain" : "same-anchor retrain";
            metrics["guarantee"] = result.Guarantee;
            metrics["distance_to_original_frobenius"] = FrobeniusDistance(unlearned.TopicWord, model.TopicWord);
            var removed = new HashSet<int>(all);
            BagOfWordsDocument[] retained = bundle.Documents.Where(d => !removed.Contains(d.Id)).ToArray();
            TopicClassifierHead? head = null;
            TopicLabels? labels = bundle.Labels;
            if (bundle.Head is not null)
            {
                // The head follows the released base: re-fitted on the remaining labelled documents with
                // features from the new (noisy) Ã, which is post-processing of the release.
                labels = WithoutLabels(bundle.Labels!, removed);
                (BagOfWordsDocument[] docs, int[] y) = LabelledDocuments(bundle.AsCorpus().Documents, labels);
                Progress($"re-fitting the classifier head on {docs.Length} labelled documents and the new Ã");
                var headWatch = Stopwatch.StartNew();
                head = TopicClassifierHead.Train(unlearned, docs, y, labels.ClassNames, bundle.Head.Lambda, bundle.Head);
                metrics["head_refit_seconds"] = headWatch.Elapsed.TotalSeconds;
                metrics["head_refit_documents"] = docs.Length;
                metrics["head_refit_accuracy"] = FineTunedTopicClassifier.Compose(unlearned.JointWordTopic, head).Accuracy(docs, y);
            }
            return new TopicModelBundle(unlearned, retained, head, labels);
        }
        catch
        {
            unlearned.Dispose();
            throw;
        }
    }

    // U_head: the base model and its documents stay; the head and the released fine-tuned model change.
    private static TopicModelBundle UnlearnHead(TopicModelBundle bundle, int[] ids, TopicUnlearningOptions options, Dictionary<string, object?> metrics)
    {
        AnchorTopicModel model = bundle.Model;
        TopicClassifierHead head = bundle.Head!;
        int[] all = ids.Concat(bundle.HeadForgottenDocumentIds).Order().ToArray();
        (BagOfWordsDocument[] task, int[] y) = HeadTrainingSet(bundle);
        Progress($"unlearning {ids.Length} pre-training documents through the fine-tuned model (U_head, {options.Update}; base model unchanged)");
        PretrainingHeadUnlearningResult result = PretrainingHeadUnlearner.Unlearn(model, head, task, y, Lookup(bundle, all), options);
        metrics["anchor_check_seconds"] = result.AnchorCheckElapsed.TotalSeconds;
        metrics["also_deleted_head_forgotten"] = all.Length - ids.Length;
        metrics["update"] = options.Update.ToString();
        metrics["deleted"] = result.DeletedCount;
        metrics["task_documents_removed"] = result.TaskDocumentsRemoved;
        metrics["constants"] = result.Constants;
        metrics["base_sensitivity_terms"] = result.BaseSensitivity;
        metrics["head_sensitivity_terms"] = result.Sensitivity;
        metrics["sensitivity"] = result.Sensitivity.Bound;
        metrics["noise_std"] = result.NoiseStd;
        metrics["noise_added"] = result.NoiseAdded;
        metrics["noise_norm"] = result.NoiseNorm;
        metrics["deletion_capacity"] = result.DeletionCapacity;
        metrics["base_deletion_capacity"] = result.BaseDeletionCapacity;
        metrics["within_deletion_capacity"] = result.DeletedCount <= result.DeletionCapacity;
        metrics["newton_exact_words"] = result.ExactWords;
        metrics["anchors_unchanged_on_reselection"] = result.AnchorsUnchanged;
        metrics["guarantee_reference"] = result.AnchorsUnchanged == true ? "same-anchor retrain and full retrain (fine-tuned model only)" : "same-anchor retrain (fine-tuned model only)";
        metrics["guarantee"] = result.Guarantee;
        metrics["base_model_modified"] = false;
        var removed = new HashSet<int>(all);
        (BagOfWordsDocument[] kept, int[] keptLabels) = Labelled(task, y, removed);
        metrics["fine_tuned_accuracy_on_task"] = result.FineTuned.Accuracy(kept, keptLabels);
        return new TopicModelBundle(model, bundle.Documents, result.Head, WithoutLabels(bundle.Labels!, removed), result.FineTuned, all);
    }

    private static TopicModelBundle UnlearnTaskDocuments(TopicModelBundle bundle, int[] ids, TopicUnlearningOptions options, Dictionary<string, object?> metrics)
    {
        if (bundle.HeadForgottenDocumentIds.Count > 0)
        {
            throw new InvalidDataException(
                $"{bundle.HeadForgottenDocumentIds.Count} pre-training document(s) were unlearned through the head only, so the stored base model still reflects them; "
                + "run --mode base first before releasing a head on that base");
        }
        TopicClassifierHead head = bundle.Head!;
        var known = new HashSet<int>(head.DocumentIds);
        int[] headIds = ids.Where(known.Contains).ToArray();
        if (headIds.Length == 0)
        {
            throw new InvalidDataException($"none of the {ids.Length} ids is a training document of the head ({head.DocumentIds.Count} labelled documents)");
        }
        Progress($"removing {headIds.Length} labelled documents from the head's training set (Newton step, Sekhari et al. 2021)");
        BagOfWordsDocument[] docs = Lookup(bundle, headIds);
        double[][] features = TopicFeatures.Compute(bundle.Model.JointWordTopic, docs);
        DownstreamDocumentUnlearningResult result = DownstreamDocumentUnlearner.Unlearn(head, headIds, features, headIds.Select(id => bundle.Labels!.Labels[id]).ToArray(), options);
        metrics["deleted"] = result.DeletedCount;
        metrics["not_in_head"] = ids.Length - headIds.Length;
        metrics["sensitivity"] = result.Sensitivity;
        metrics["noise_std"] = result.NoiseStd;
        metrics["noise_added"] = result.NoiseAdded;
        metrics["feature_bound"] = head.FeatureBound;
        metrics["guarantee"] = result.NoiseAdded
            ? $"({options.Epsilon.ToString("G4", CultureInfo.InvariantCulture)}, {options.Delta.ToString("G4", CultureInfo.InvariantCulture)})-unlearning of the head's own training documents relative to retraining the head "
                + "(same topic model, same features) without them, by Sekhari et al. 2021's Newton step and bound. " + TopicModelUnlearner.RegimeSentence(options)
            : "not certified: no noise was added (diagnostic run)";
        return new TopicModelBundle(bundle.Model, bundle.Documents, result.Head, WithoutLabels(bundle.Labels!, new HashSet<int>(headIds)));
    }

    private static void RetrainBase(TopicModelBundle bundle, TopicModelBundle result, Dictionary<string, object?> metrics)
    {
        int[] retainedIds = result.Model.DocumentIds.ToArray();
        Progress($"retraining on {retainedIds.Length} retained documents");
        BagOfWordsCorpus corpus = bundle.AsCorpus();
        var watch = Stopwatch.StartNew();
        using AnchorTopicModel fresh = AnchorTopicModel.Train(corpus, bundle.Model.Options, bundle.Model.Statistics.Device, retainedIds);
        double seconds = watch.Elapsed.TotalSeconds;
        using AnchorTopicModel fixedAnchors = AnchorTopicModel.Train(corpus, bundle.Model.Options, bundle.Model.Statistics.Device, retainedIds, bundle.Model.Anchors);
        TopicMatch match = TopicMatching.Match(result.Model.TopicWord, fresh.TopicWord);
        TopicMatch originalMatch = TopicMatching.Match(bundle.Model.TopicWord, fresh.TopicWord);
        metrics["retrain_seconds"] = seconds;
        double topic = (double)metrics["topic_unlearn_seconds"]!;
        double check = (double)metrics["anchor_check_seconds"]!;
        metrics["speedup"] = seconds / Math.Max(topic, 1e-9);
        metrics["speedup_without_anchor_check"] = seconds / Math.Max(topic - check, 1e-9);
        metrics["retrain_same_anchors"] = fresh.Anchors.SequenceEqual(bundle.Model.Anchors);
        metrics["distance_to_retrained_mean_l1"] = match.MeanL1Error;
        metrics["original_distance_to_retrained_mean_l1"] = originalMatch.MeanL1Error;
        metrics["distance_to_fixed_anchor_retrain_frobenius"] = FrobeniusDistance(result.Model.TopicWord, fixedAnchors.TopicWord);
        metrics["original_distance_to_fixed_anchor_retrain_frobenius"] = FrobeniusDistance(bundle.Model.TopicWord, fixedAnchors.TopicWord);
        metrics["joint_distance_to_fixed_anchor_retrain_frobenius"] = FrobeniusDistance(result.Model.JointWordTopic, fixedAnchors.JointWordTopic);
    }

    // The fine-tuned model a retrain would release: the head re-fitted (same task documents) on a base
    // retrained with the same anchors; compared with the released (noisy) and the original fine-tuned model.
    private static void RetrainHead(TopicModelBundle bundle, TopicModelBundle result, Dictionary<string, object?> metrics)
    {
        var removed = new HashSet<int>(result.HeadForgottenDocumentIds);
        int[] retainedIds = bundle.Model.DocumentIds.Where(id => !removed.Contains(id)).ToArray();
        Progress($"retraining the base with the same anchors on {retainedIds.Length} documents and re-fitting the head");
        var watch = Stopwatch.StartNew();
        using AnchorTopicModel fixedAnchors = AnchorTopicModel.Train(bundle.AsCorpus(), bundle.Model.Options, bundle.Model.Statistics.Device, retainedIds, bundle.Model.Anchors);
        (BagOfWordsDocument[] allTask, int[] allLabels) = HeadTrainingSet(bundle);
        (BagOfWordsDocument[] task, int[] y) = Labelled(allTask, allLabels, removed);
        TopicClassifierHead head = TopicClassifierHead.Train(fixedAnchors, task, y, bundle.Head!.ClassNames, bundle.Head.Lambda, bundle.Head);
        FineTunedTopicClassifier reference = FineTunedTopicClassifier.Compose(fixedAnchors.JointWordTopic, head);
        double seconds = watch.Elapsed.TotalSeconds;
        FineTunedTopicClassifier original = bundle.FineTuned ?? FineTunedTopicClassifier.Compose(bundle.Model.JointWordTopic, bundle.Head);
        metrics["retrain_seconds"] = seconds;
        double unlearn = (double)metrics["unlearn_seconds"]!;
        metrics["speedup"] = seconds / Math.Max(unlearn, 1e-9);
        metrics["speedup_without_anchor_check"] = seconds / Math.Max(unlearn - (double)metrics["anchor_check_seconds"]!, 1e-9);
        metrics["fine_tuned_distance_to_fixed_anchor_refit_frobenius"] = result.FineTuned!.DistanceTo(reference);
        metrics["original_fine_tuned_distance_to_fixed_anchor_refit_frobenius"] = original.DistanceTo(reference);
        metrics["refit_accuracy_on_task"] = reference.Accuracy(task, y);
    }

    private static int Evaluate(string modelPath, string? corpusPath, string? labelsPath, int top, string? output, bool overwrite)
    {
        using RunDirectory? run = output is null ? null : RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
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
            var index = bundle.Head.ClassNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            string[] unknown = labels.ClassNames.Where(c => !index.ContainsKey(c)).ToArray();
            if (unknown.Length > 0)
            {
                throw new InvalidDataException($"labels {string.Join(", ", unknown)} are not classes of the head; valid: {string.Join(", ", bundle.Head.ClassNames)}");
            }
            int[] ids = labels.LabelledIds().Where(id => corpus.Documents[id].Length > 0).ToArray();
            // The released fine-tuned model: the one U_head published, else the head composed with the base.
            FineTunedTopicClassifier fineTuned = bundle.FineTuned ?? FineTunedTopicClassifier.Compose(model.JointWordTopic, bundle.Head);
            metrics["head_accuracy"] = fineTuned.Accuracy(ids.Select(id => corpus.Documents[id]).ToArray(), ids.Select(id => index[labels.ClassNames[labels.Labels[id]]]).ToArray());
            metrics["fine_tuned_source"] = bundle.FineTuned is null ? "head composed with the base model" : "released by U_head";
        }
        Console.WriteLine($"documents {evaluation.DocumentCount}, tokens {evaluation.TokenCount}");
        Console.WriteLine($"log-likelihood per token {evaluation.LogLikelihoodPerToken:F4} (perplexity {evaluation.Perplexity:F1}), mean L1 reconstruction {evaluation.MeanL1Reconstruction:F4}");
        if (metrics.TryGetValue("head_accuracy", out object? accuracy))
        {
            Console.WriteLine($"head accuracy {accuracy:F4} ({metrics["fine_tuned_source"]})");
        }
        PrintTopWords(model.TopWords(top), model);
        if (run is not null)
        {
            JsonFile.Write(run.Staged("metrics.json"), metrics);
            run.Publish();
        }
        return Program.ExitOk;
    }

    private static int Corpus(string lists, string[] sections, string output, bool overwrite)
    {
        // --out is claimed; the corpus files and source.json are staged and published together.
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        string[] files = FindPackageIndexes(lists);
        Progress($"reading {files.Length} Packages index(es) under {lists}");
        var entries = new List<DebianPackageEntry>();
        foreach (string file in files)
        {
            using TextReader reader = OpenIndex(file);
            entries.AddRange(DebianPackageIndex.Parse(reader));
        }
        (IReadOnlyList<DebianPackageEntry> documents, int ambiguous, int duplicates) = DebianPackageIndex.BuildCorpus(entries, sections);
        DebianPackageIndex.Write(documents, run.StagingFolder());
        var counts = documents.GroupBy(d => d.Section).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        JsonFile.Write(run.Staged("source.json"), new Dictionary<string, object?>
        {
            ["indexes"] = files.Select(f => new Dictionary<string, object?> { ["file"] = Path.GetFileName(f), ["release_date"] = ReleaseDate(f) }).ToArray(),
            ["packages_read"] = entries.Count,
            ["sections"] = sections,
            ["documents"] = documents.Count,
            ["documents_per_section"] = counts,
            ["dropped_ambiguous"] = ambiguous,
            ["dropped_duplicates"] = duplicates,
            ["built_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });
        run.Publish();
        Console.WriteLine($"{documents.Count} documents in {counts.Count} sections ({string.Join(", ", counts.Select(p => $"{p.Key} {p.Value}"))}); dropped {ambiguous} ambiguous and {duplicates} duplicate descriptions -> {output}");
        return Program.ExitOk;
    }

    private static Command CreateCorpus()
    {
        var lists = new Option<string>("--lists") { Description = "apt's lists folder (or one Packages file, plain or compressed).", DefaultValueFactory = _ => "/var/lib/apt/lists" };
        var sections = new Option<string>("--sections")
        {
            Description = "Comma-separated archive sections to keep; each description is labelled by its section.",
            DefaultValueFactory = _ => DefaultSections,
        };
        var output = new Option<string>("--out") { Description = "Output folder: corpus.txt, labels.csv (and its train/test split), packages.csv, source.json.", Required = true };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("corpus", "Build a real labelled corpus offline: Debian package descriptions from apt's Packages indexes, labelled by section.") { lists, sections, output, overwrite };
        command.SetAction(parse =>
        {
            string[] chosen = parse.GetValue(sections)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (chosen.Length < 2)
            {
                return Usage("--sections needs at least two sections (a classifier needs two labels), e.g. games,science,sound");
            }
            return Corpus(parse.GetValue(lists)!, chosen, parse.GetValue(output)!, parse.GetValue(overwrite));
        });
        return command;
    }

    // Debian's largest plain Packages index (main, amd64) is some 60 MB; apt-helper's output is not limited here.
    private const long MaxIndexBytes = 512L << 20;

    /// <summary>The sections of the shipped example: topical ones whose descriptions do not name a programming language.</summary>
    internal const string DefaultSections = "fonts,games,graphics,mail,math,net,science,sound";

    private static string[] FindPackageIndexes(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }
        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is neither apt's lists folder nor a Packages file", path);
        }
        string[] files = Directory.GetFiles(path)
            .Where(f => Path.GetFileName(f).Contains("_Packages", StringComparison.Ordinal) && !f.EndsWith(".diff", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no *_Packages index in '{path}'; run 'apt-get update' or pass a Packages file with --lists", path);
        }
        return files;
    }

    // apt stores its indexes compressed (lz4, gz, xz); apt-helper cat-file reads every format apt writes.
    private static TextReader OpenIndex(string file)
    {
        if (!file.EndsWith(".lz4", StringComparison.Ordinal) && !file.EndsWith(".gz", StringComparison.Ordinal) && !file.EndsWith(".xz", StringComparison.Ordinal) && !file.EndsWith(".zst", StringComparison.Ordinal))
        {
            return Data.InputFile.OpenText(file, "Packages index", MaxIndexBytes);
        }
        const string Helper = "/usr/lib/apt/apt-helper";
        if (!File.Exists(Helper))
        {
            throw new FileNotFoundException($"'{file}' is compressed and {Helper} (Debian's apt) is not here to read it; decompress it and pass the plain file with --lists", Helper);
        }
        var start = new ProcessStartInfo(Helper) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("cat-file");
        start.ArgumentList.Add(file);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Helper}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"{Helper} cat-file {file} failed ({process.ExitCode}): {error.Result.Trim()}");
        }
        return new StringReader(text);
    }

    private static string? ReleaseDate(string packagesFile)
    {
        // deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4 -> ..._dists_bookworm_InRelease
        string name = Path.GetFileName(packagesFile);
        int dists = name.IndexOf("_dists_", StringComparison.Ordinal);
        if (dists < 0)
        {
            return null;
        }
        int suite = name.IndexOf('_', dists + "_dists_".Length);
        string release = Path.Combine(Path.GetDirectoryName(packagesFile) ?? ".", name[..suite] + "_InRelease");
        return File.Exists(release)
            ? Data.InputFile.ReadAllLines(release, "Release file", MaxIndexBytes).FirstOrDefault(l => l.StartsWith("Date:", StringComparison.Ordinal))?["Date:".Length..].Trim()
            : null;
    }

    private static BagOfWordsDocument[] Lookup(TopicModelBundle bundle, IEnumerable<int> ids)
    {
        var byId = bundle.Documents.ToDictionary(d => d.Id);
        return ids.Select(id => byId.TryGetValue(id, out BagOfWordsDocument? d) ? d : new BagOfWordsDocument(id, [], [])).ToArray();
    }

    private static (BagOfWordsDocument[] Documents, int[] Labels) LabelledDocuments(IReadOnlyList<BagOfWordsDocument> corpus, TopicLabels labels)
    {
        int[] ids = labels.LabelledIds().Where(id => id < corpus.Count && corpus[id].Length > 0).ToArray();
        return (ids.Select(id => corpus[id]).ToArray(), ids.Select(id => labels.Labels[id]).ToArray());
    }

    private static (BagOfWordsDocument[] Documents, int[] Labels) HeadTrainingSet(TopicModelBundle bundle)
    {
        var byId = bundle.Documents.ToDictionary(d => d.Id);
        int[] ids = bundle.Head!.DocumentIds.ToArray();
        return (ids.Select(id => byId[id]).ToArray(), ids.Select(id => bundle.Labels!.Labels[id]).ToArray());
    }

    private static (BagOfWordsDocument[] Documents, int[] Labels) Labelled(BagOfWordsDocument[] documents, int[] labels, HashSet<int> removed)
    {
        int[] keep = Enumerable.Range(0, documents.Length).Where(i => !removed.Contains(documents[i].Id)).ToArray();
        return (keep.Select(i => documents[i]).ToArray(), keep.Select(i => labels[i]).ToArray());
    }

    private static TopicLabels WithoutLabels(TopicLabels labels, HashSet<int> removed) =>
        new(labels.Labels.Select((l, id) => removed.Contains(id) ? -1 : l).ToArray(), labels.ClassNames);

    private static string ModeName(UnlearnMode mode) => mode switch
    {
        UnlearnMode.Base => "base",
        UnlearnMode.Head => "head",
        _ => "task-documents",
    };

    private enum UnlearnMode
    {
        Base,
        Head,
        TaskDocuments,
    }

    private static int[] ReadIds(string path, int corpusCount)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"forget-ids file '{path}' not found; give a file of document ids (one per line, or separated by commas or spaces)", path);
        }
        var ids = new List<int>();
        var seen = new HashSet<int>();
        string[] lines = Data.InputFile.ReadAllLines(path, "forget-ids file");
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
        ["torchsharp_version"] = TorchRuntime.EnsureInitialized().TorchSharpVersion,
        ["libtorch_version"] = TorchRuntime.EnsureInitialized().LibTorchVersion,
        ["device"] = device.ToString(),
        ["model_format"] = $"{TopicModelBundle.FormatName} v1 (JSON + raw float64 arrays.bin)",
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
