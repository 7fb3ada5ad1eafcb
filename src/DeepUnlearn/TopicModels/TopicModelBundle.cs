using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeepUnlearn.Data;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A topic model on disk with everything unlearning needs: the model, the bag-of-words of its retained
/// training documents, and optionally a classifier head with the documents' labels.
/// </summary>
/// <remarks>
/// Folder layout (format <c>deepunlearn.anchor-topic-model</c>, version 1). Matrices are stored as raw
/// little-endian float64 in <c>arrays.bin</c>, indexed (name, shape, byte offset) in <c>model.json</c>
/// (written before the engine had safetensors; moving to it would be a version 2 of the format):
/// <list type="bullet">
/// <item><c>model.json</c>: vocabulary, anchors, options, document ids, array index, top words.</item>
/// <item><c>arrays.bin</c>: topic_word (A, V×K), joint_word_topic (Ã), topic_cooccurrence (R),
/// topic_prior, and the private state word_topic (C) and cooccurrence_sum (Σ_d Q_d, V×V).</item>
/// <item><c>documents.json</c>: the retained training documents as word counts (private state).</item>
/// <item><c>head.json</c> (optional): the classifier head (trained on <see cref="TopicFeatures"/>), its
/// Hessian sum and feature bound, the training labels, and the pre-training documents unlearned
/// through the head so far (U_head: the base model still reflects them).</item>
/// <item><c>finetuned.json</c> (optional): the released fine-tuned model (B, b) of the last U_head.</item>
/// </list>
/// The private state describes the training documents (T(S) of Sekhari et al. 2021): publish only
/// A, anchors and vocabulary.
/// </remarks>
public sealed class TopicModelBundle : IDisposable
{
    /// <summary>The format name written to <c>model.json</c>.</summary>
    public const string FormatName = "deepunlearn.anchor-topic-model";

    // The feature map a stored head was trained on (TopicFeatures); heads without it predate it.
    private const string HeadFeatures = "joint-topic-distribution";

    private const string HeadFile = "head.json";

    private const string FineTunedFile = "finetuned.json";

    // documents.json holds the whole corpus as word ids and counts.
    private const long MaxJsonBytes = 1L << 30;

    /// <summary>The files <see cref="Save"/> writes only for a model with a classifier head (and a fine-tuned release).</summary>
    public static IReadOnlyList<string> OptionalFiles { get; } = [HeadFile, FineTunedFile];

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Bundles a model with its retained documents (by id) and an optional head, labels and fine-tuned release.</summary>
    /// <param name="model">The topic model (owned).</param>
    /// <param name="documents">The retained training documents.</param>
    /// <param name="head">The classifier head, if any.</param>
    /// <param name="labels">The labels the head was trained with (required with a head).</param>
    /// <param name="fineTuned">The fine-tuned model released by U_head, if any.</param>
    /// <param name="headForgottenDocumentIds">Pre-training documents unlearned through the head (U_head) but still in the base model.</param>
    public TopicModelBundle(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> documents, TopicClassifierHead? head = null, TopicLabels? labels = null, FineTunedTopicClassifier? fineTuned = null, IReadOnlyList<int>? headForgottenDocumentIds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(documents);
        if (head is not null && labels is null)
        {
            throw new ArgumentException("a head needs the labels of its training documents", nameof(labels));
        }
        if ((fineTuned is not null || headForgottenDocumentIds is { Count: > 0 }) && head is null)
        {
            throw new ArgumentException("a fine-tuned release and head-forgotten documents need a head", nameof(head));
        }
        Model = model;
        Documents = documents;
        Head = head;
        Labels = labels;
        FineTuned = fineTuned;
        HeadForgottenDocumentIds = (headForgottenDocumentIds ?? []).Order().ToArray();
    }

    /// <summary>The topic model (owned).</summary>
    public AnchorTopicModel Model { get; }

    /// <summary>The retained training documents (not yet unlearned), each with its corpus id.</summary>
    public IReadOnlyList<BagOfWordsDocument> Documents { get; }

    /// <summary>The classifier head, if any.</summary>
    public TopicClassifierHead? Head { get; }

    /// <summary>The labels the head was trained with, if any.</summary>
    public TopicLabels? Labels { get; }

    /// <summary>The fine-tuned model (B, b) released by the last U_head, if any.</summary>
    public FineTunedTopicClassifier? FineTuned { get; }

    /// <summary>
    /// Pre-training documents unlearned through the head (U_head) so far, ascending. The base model still
    /// reflects them; a later U_base deletes them too.
    /// </summary>
    public IReadOnlyList<int> HeadForgottenDocumentIds { get; }

    /// <summary>The documents as a corpus indexed by id (unlearned or missing ids are empty documents).</summary>
    public BagOfWordsCorpus AsCorpus()
    {
        var byId = new BagOfWordsDocument[Model.CorpusDocumentCount];
        foreach (BagOfWordsDocument d in Documents)
        {
            byId[d.Id] = d;
        }
        for (int i = 0; i < byId.Length; i++)
        {
            byId[i] ??= new BagOfWordsDocument(i, [], []);
        }
        return new BagOfWordsCorpus(Model.Vocabulary, byId);
    }

    /// <summary>Writes the bundle to <paramref name="directory"/> (created if missing).</summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        AnchorTopicModel m = Model;
        var arrays = new List<(string Name, long[] Shape, double[] Data)>
        {
            ("topic_word", [m.VocabularySize, m.TopicCount], DenseMatrix.Flatten(m.TopicWord)),
            ("joint_word_topic", [m.VocabularySize, m.TopicCount], DenseMatrix.Flatten(m.JointWordTopic)),
            ("topic_cooccurrence", [m.TopicCount, m.TopicCount], DenseMatrix.Flatten(m.TopicCooccurrence)),
            ("topic_prior", [m.TopicCount], m.TopicPrior.ToArray()),
            ("word_topic", [m.VocabularySize, m.TopicCount], DenseMatrix.Flatten(m.WordTopic)),
        };
        var index = new Dictionary<string, ArrayEntry>();
        AtomicFile.Write(Path.Combine(directory, "arrays.bin"), stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            foreach ((string name, long[] shape, double[] data) in arrays)
            {
                index[name] = new ArrayEntry("float64", shape, stream.Position);
                foreach (double x in data)
                {
                    writer.Write(x);
                }
            }
            index["cooccurrence_sum"] = new ArrayEntry("float64", [m.VocabularySize, m.VocabularySize], stream.Position);
            using var scope = torch.NewDisposeScope();
            writer.Write(m.Statistics.Sum.to(ScalarType.Float64, torch.CPU).contiguous().bytes);
            writer.Flush();
        });

        var header = new ModelHeader(
            FormatName,
            1,
            m.TopicCount,
            m.Vocabulary.Words.ToArray(),
            m.Vocabulary.DocumentFrequencies.ToArray(),
            m.Anchors.ToArray(),
            m.Anchors.Select(a => m.Vocabulary.Words[a]).ToArray(),
            m.CorpusDocumentCount,
            m.Statistics.DocumentCount,
            m.DocumentIds.ToArray(),
            m.DeletedDocumentIds.ToArray(),
            m.Options,
            index,
            m.TopWords(10));
        WriteJson(Path.Combine(directory, "model.json"), header, indented: true);
        WriteJson(Path.Combine(directory, "documents.json"), Documents.Select(d => new DocumentEntry(d.Id, d.WordIds.ToArray(), d.Counts.ToArray())).ToArray(), indented: false);
        string headPath = Path.Combine(directory, HeadFile);
        if (Head is not null && Labels is not null)
        {
            WriteJson(headPath, new HeadEntry(
                Head.ClassNames.ToArray(),
                Head.Lambda,
                Head.TrainingCount,
                Head.DocumentIds.ToArray(),
                ToJagged(Head.Weights),
                ToJagged(Head.HessianSum),
                Labels.Labels.ToArray(),
                HeadFeatures,
                Head.FeatureBound,
                HeadForgottenDocumentIds.ToArray()), indented: false);
        }
        else if (File.Exists(headPath))
        {
            File.Delete(headPath);
        }
        string fineTunedPath = Path.Combine(directory, FineTunedFile);
        if (FineTuned is not null)
        {
            WriteJson(fineTunedPath, new FineTunedEntry(FineTuned.ClassNames.ToArray(), ToJagged(FineTuned.WordWeights), FineTuned.Bias.ToArray(), FineTuned.Normalizer.ToArray()), indented: false);
        }
        else if (File.Exists(fineTunedPath))
        {
            File.Delete(fineTunedPath);
        }
    }

    /// <summary>Reads a bundle written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder or a required file is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not a DeepUnlearn topic model or are inconsistent.</exception>
    public static TopicModelBundle Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string modelPath = Path.Combine(directory, "model.json");
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"'{directory}' is not a topic model folder: model.json is missing (create one with 'deepunlearn topics train')", modelPath);
        }
        ModelHeader header = ReadJson<ModelHeader>(modelPath);
        if (header.Format != FormatName || header.FormatVersion != 1)
        {
            throw new InvalidDataException($"{modelPath}: format '{header.Format}' version {header.FormatVersion} is not {FormatName} version 1");
        }
        int v = header.Vocabulary.Length;
        int k = header.TopicCount;
        // The header says how many bytes the arrays take; a larger arrays.bin (or a device) is refused unread.
        long arrayBytes = 8 * ((3L * v * k) + k + ((long)k * k) + ((long)v * v));
        byte[] bytes = InputFile.ReadAllBytes(Path.Combine(directory, "arrays.bin"), "topic model arrays", Math.Max(arrayBytes, 1));
        double[] Read(string name, long expected)
        {
            if (!header.Arrays.TryGetValue(name, out ArrayEntry? entry) || entry.Shape.Aggregate(1L, (a, b) => a * b) != expected)
            {
                throw new InvalidDataException($"{modelPath}: array '{name}' is missing or has the wrong shape");
            }
            if (entry.Offset < 0 || entry.Offset + (expected * 8) > bytes.Length)
            {
                throw new InvalidDataException($"arrays.bin is too short for array '{name}'; the model folder is damaged");
            }
            var data = new double[expected];
            Buffer.BlockCopy(bytes, (int)entry.Offset, data, 0, (int)(expected * 8));
            return data;
        }
        var topics = new RecoveredTopics(
            DenseMatrix.Reshape(Read("word_topic", (long)v * k), v, k),
            DenseMatrix.Reshape(Read("joint_word_topic", (long)v * k), v, k),
            DenseMatrix.Reshape(Read("topic_word", (long)v * k), v, k),
            Read("topic_prior", k),
            DenseMatrix.Reshape(Read("topic_cooccurrence", (long)k * k), k, k));
        double[] sum = Read("cooccurrence_sum", (long)v * v);
        DocumentEntry[] docs = ReadJson<DocumentEntry[]>(Path.Combine(directory, "documents.json"));
        BagOfWordsDocument[] documents = docs.Select(d => new BagOfWordsDocument(d.Id, d.Words, d.Counts)).ToArray();
        // The per-word document counts of the statistics (FastAnchorWords' candidates) follow from the
        // documents the statistics hold.
        var inStatistics = new HashSet<int>(header.DocumentIds);
        var wordCounts = new int[v];
        foreach (BagOfWordsDocument d in documents.Where(d => inStatistics.Contains(d.Id) && CooccurrenceStatistics.Contributes(d)))
        {
            foreach (int w in d.WordIds)
            {
                wordCounts[w]++;
            }
        }
        CooccurrenceStatistics statistics;
        using (var scope = torch.NewDisposeScope())
        {
            statistics = CooccurrenceStatistics.FromSum(torch.tensor(sum, [v, v], ScalarType.Float64, device), header.StatisticsDocumentCount, wordCounts);
        }
        var vocabulary = new Vocabulary(header.Vocabulary, header.DocumentFrequencies);
        var model = new AnchorTopicModel(vocabulary, header.Options, header.Anchors, topics, statistics, header.DocumentIds, header.DeletedDocumentIds, header.CorpusDocumentCount);
        try
        {
            TopicClassifierHead? head = null;
            TopicLabels? labels = null;
            FineTunedTopicClassifier? fineTuned = null;
            int[] headForgotten = [];
            string headPath = Path.Combine(directory, HeadFile);
            if (File.Exists(headPath))
            {
                HeadEntry h = ReadJson<HeadEntry>(headPath);
                if (h.Features != HeadFeatures || h.FeatureBound is not double bound)
                {
                    throw new InvalidDataException($"{headPath} was written by an older version (a head on inferred topic proportions); retrain with 'deepunlearn topics train --labels'");
                }
                head = new TopicClassifierHead(FromJagged(h.Weights), h.Lambda, h.TrainingCount, FromJagged(h.HessianSum), h.ClassNames, h.DocumentIds, bound);
                labels = new TopicLabels(h.Labels, h.ClassNames);
                headForgotten = h.HeadForgottenDocumentIds ?? [];
                string fineTunedPath = Path.Combine(directory, FineTunedFile);
                if (File.Exists(fineTunedPath))
                {
                    FineTunedEntry f = ReadJson<FineTunedEntry>(fineTunedPath);
                    fineTuned = new FineTunedTopicClassifier(FromJagged(f.WordWeights), f.Bias, f.Normalizer, f.ClassNames);
                }
            }
            return new TopicModelBundle(model, documents, head, labels, fineTuned, headForgotten);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Releases the model's statistics.</summary>
    public void Dispose() => Model.Dispose();

    private static void WriteJson<T>(string path, T value, bool indented)
    {
        var options = new JsonSerializerOptions(s_json) { WriteIndented = indented };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, options));
    }

    private static T ReadJson<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"topic model file '{path}' is missing", path);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(InputFile.ReadAllText(path, "topic model file", MaxJsonBytes), s_json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid: {e.Message}", e);
        }
    }

    private static double[][] ToJagged(double[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();

    private static double[,] FromJagged(double[][] rows)
    {
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        var m = new double[rows.Length, cols];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = rows[i][j];
            }
        }
        return m;
    }

    private sealed record ArrayEntry(string Dtype, long[] Shape, long Offset);

    private sealed record DocumentEntry(int Id, int[] Words, int[] Counts);

    private sealed record ModelHeader(
        string Format,
        int FormatVersion,
        int TopicCount,
        string[] Vocabulary,
        int[] DocumentFrequencies,
        int[] Anchors,
        string[] AnchorWords,
        int CorpusDocumentCount,
        int StatisticsDocumentCount,
        int[] DocumentIds,
        int[] DeletedDocumentIds,
        AnchorTopicModelOptions Options,
        Dictionary<string, ArrayEntry> Arrays,
        string[][] TopWords);

    private sealed record HeadEntry(string[] ClassNames, double Lambda, int TrainingCount, int[] DocumentIds, double[][] Weights, double[][] HessianSum, int[] Labels, string? Features, double? FeatureBound, int[]? HeadForgottenDocumentIds);

    private sealed record FineTunedEntry(string[] ClassNames, double[][] WordWeights, double[] Bias, double[] Normalizer);
}
