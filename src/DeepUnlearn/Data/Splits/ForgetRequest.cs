using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data.Splits;

/// <summary>
/// A deletion request: whole classes (by index or name), a seeded random count or fraction of the
/// training samples (optionally class-stratified), or an explicit id list. <see cref="Resolve(IVisionDataset, ReadOnlySpan{int})"/>
/// turns it into forget and retain id sets over a training split; the result depends only on the request
/// (its seed included) and the split, so a request is reproducible and auditable. <see cref="ToString"/>
/// gives the canonical form that <see cref="Parse"/> reads back.
/// </summary>
public sealed class ForgetRequest
{
    private const ulong RequestSalt = 0x666F72676574UL;

    private ForgetRequest(ForgetRequestKind kind)
    {
        Kind = kind;
    }

    /// <summary>What the request selects.</summary>
    public ForgetRequestKind Kind { get; }

    /// <summary>Classes requested, as given (names or indices), for <see cref="ForgetRequestKind.Classes"/>.</summary>
    public IReadOnlyList<string> Classes { get; private init; } = [];

    /// <summary>The number of samples, for <see cref="ForgetRequestKind.RandomCount"/>.</summary>
    public int Count { get; private init; }

    /// <summary>The fraction of the training split, for <see cref="ForgetRequestKind.RandomFraction"/>.</summary>
    public double Fraction { get; private init; }

    /// <summary>Whether a random request draws the same share from every class.</summary>
    public bool Stratified { get; private init; }

    /// <summary>The seed of a random request.</summary>
    public ulong Seed { get; private init; }

    /// <summary>The ids, for <see cref="ForgetRequestKind.Ids"/> (sorted, without duplicates).</summary>
    public IReadOnlyList<int> Ids { get; private init; } = [];

    /// <summary>Where the ids came from (a file path), if anywhere.</summary>
    public string? Source { get; private init; }

    /// <summary>Forget every training sample of the given classes (by label).</summary>
    public static ForgetRequest ForClasses(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0)
        {
            throw new ArgumentException("a class-wise request needs at least one class", nameof(classes));
        }
        foreach (int c in classes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(classes));
        }
        return new ForgetRequest(ForgetRequestKind.Classes)
        {
            Classes = classes.Distinct().Order().Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray(),
        };
    }

    /// <summary>Forget every training sample of the classes named (a name, or a label written as a number).</summary>
    public static ForgetRequest ForClassNames(params string[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        string[] tokens = classes.Select(c => c?.Trim() ?? string.Empty).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (tokens.Length == 0)
        {
            throw new ArgumentException("a class-wise request needs at least one class", nameof(classes));
        }
        return new ForgetRequest(ForgetRequestKind.Classes) { Classes = tokens };
    }

    /// <summary>Forget <paramref name="count"/> training samples drawn at random with <paramref name="seed"/>.</summary>
    /// <param name="count">How many samples (positive, fewer than the training split).</param>
    /// <param name="seed">The draw's seed.</param>
    /// <param name="stratified">Draw from every class in proportion to its size (largest remainders).</param>
    public static ForgetRequest RandomCount(int count, ulong seed = 0, bool stratified = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new ForgetRequest(ForgetRequestKind.RandomCount) { Count = count, Seed = seed, Stratified = stratified };
    }

    /// <summary>Forget a fraction (0 &lt; f &lt; 1) of the training samples, drawn at random with <paramref name="seed"/>.</summary>
    public static ForgetRequest RandomFraction(double fraction, ulong seed = 0, bool stratified = false)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the forget fraction must be in (0, 1)");
        }
        return new ForgetRequest(ForgetRequestKind.RandomFraction) { Fraction = fraction, Seed = seed, Stratified = stratified };
    }

    /// <summary>Forget exactly these ids (duplicates are ignored).</summary>
    public static ForgetRequest ForIds(IEnumerable<int> ids, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int[] sorted = ids.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException(source is null ? "the id list is empty" : $"{source}: holds no ids", nameof(ids));
        }
        return new ForgetRequest(ForgetRequestKind.Ids) { Ids = sorted, Source = source };
    }

    /// <summary>
    /// Reads ids from a text file: one integer per line; blank lines and <c># comments</c> (whole-line or
    /// trailing) are ignored.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A line is not an integer (the message gives file and line).</exception>
    public static ForgetRequest FromIdFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ids = new List<int>();
        int lineNumber = 0;
        foreach (string line in InputFile.ReadAllLines(path, "forget id file"))
        {
            lineNumber++;
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            string text = (hash >= 0 ? line[..hash] : line).Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int id))
            {
                throw new FormatException($"{path}:{lineNumber}: '{text}' is not an integer id (expected one id per line; # starts a comment)");
            }
            ids.Add(id);
        }
        if (ids.Count == 0)
        {
            throw new ArgumentException($"{path}: holds no ids (expected one integer per line)", nameof(path));
        }
        return ForIds(ids, path);
    }

    /// <summary>
    /// Parses the canonical text form: <c>classes:3</c>, <c>classes:airplane,cat</c>, <c>count:500</c>,
    /// <c>fraction:0.1</c>, <c>stratified-count:500</c>, <c>stratified-fraction:0.1</c>, <c>ids:FILE</c>;
    /// random forms may end with <c>@SEED</c> (otherwise <paramref name="seed"/> is used).
    /// </summary>
    /// <exception cref="FormatException">Not one of the forms above (the message lists them).</exception>
    public static ForgetRequest Parse(string text, ulong seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        const string Forms = "classes:NAME|INDEX[,...], count:N, fraction:F, stratified-count:N, stratified-fraction:F (optionally @SEED), ids:FILE";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"forget request '{text}' has no kind; valid forms: {Forms}");
        }
        string kind = text[..colon].Trim().ToLowerInvariant();
        string value = text[(colon + 1)..].Trim();
        if (kind is "ids")
        {
            return FromIdFile(value);
        }
        if (kind is "class" or "classes")
        {
            return ForClassNames(value.Split(','));
        }
        int at = value.LastIndexOf('@');
        if (at >= 0)
        {
            if (!ulong.TryParse(value[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            {
                throw new FormatException($"forget request '{text}': '{value[(at + 1)..]}' is not a seed (a non-negative integer)");
            }
            value = value[..at];
        }
        bool stratified = kind.StartsWith("stratified-", StringComparison.Ordinal);
        string baseKind = stratified ? kind["stratified-".Length..] : kind;
        switch (baseKind)
        {
            case "count" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count):
                return RandomCount(count, seed, stratified);
            case "fraction" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction):
                return RandomFraction(fraction, seed, stratified);
            default:
                throw new FormatException($"forget request '{text}' is not understood; valid forms: {Forms}");
        }
    }

    /// <summary>Resolves the request over <paramref name="trainIds"/> of <paramref name="dataset"/>.</summary>
    public ForgetSets Resolve(IVisionDataset dataset, ReadOnlySpan<int> trainIds)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Resolve(dataset.Labels.Span, dataset.ClassNames, trainIds);
    }

    /// <summary>Resolves the request over the training part of <paramref name="split"/>.</summary>
    public ForgetSets Resolve(IVisionDataset dataset, TrainValidationSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return Resolve(dataset, split.Train);
    }

    /// <summary>
    /// Resolves the request: the forget set (a subset of <paramref name="trainIds"/>) and the retain set
    /// (the rest of <paramref name="trainIds"/>), both sorted.
    /// </summary>
    /// <param name="labels">The label of every id of the dataset.</param>
    /// <param name="classNames">The dataset's class names.</param>
    /// <param name="trainIds">The training split (ids of the dataset, no duplicates).</param>
    /// <exception cref="ArgumentException">
    /// The request selects nothing, would forget the whole training split, names an unknown class (the
    /// message lists the valid ones), or holds ids out of range or outside the training split.
    /// </exception>
    public ForgetSets Resolve(ReadOnlySpan<int> labels, IReadOnlyList<string> classNames, ReadOnlySpan<int> trainIds)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        int[] train = trainIds.ToArray();
        Array.Sort(train);
        for (int i = 0; i < train.Length; i++)
        {
            if ((uint)train[i] >= (uint)labels.Length)
            {
                throw new ArgumentException($"training id {train[i]} is out of range: valid ids are 0..{labels.Length - 1}", nameof(trainIds));
            }
            if (i > 0 && train[i] == train[i - 1])
            {
                throw new ArgumentException($"training id {train[i]} appears twice", nameof(trainIds));
            }
        }
        if (train.Length == 0)
        {
            throw new ArgumentException("the training split is empty", nameof(trainIds));
        }
        int[] forgottenClasses = [];
        int[] forget;
        switch (Kind)
        {
            case ForgetRequestKind.Classes:
                forgottenClasses = ResolveClasses(classNames);
                var chosen = new HashSet<int>(forgottenClasses);
                var found = new HashSet<int>();
                var selected = new List<int>();
                foreach (int id in train)
                {
                    if (chosen.Contains(labels[id]))
                    {
                        selected.Add(id);
                        found.Add(labels[id]);
                    }
                }
                foreach (int c in forgottenClasses)
                {
                    if (!found.Contains(c))
                    {
                        throw new ArgumentException($"class {c} ({classNames[c]}) has no samples in the training split; nothing to forget", nameof(classNames));
                    }
                }
                forget = selected.ToArray();
                break;
            case ForgetRequestKind.RandomCount:
                forget = Draw(labels, classNames.Count, train, Count);
                break;
            case ForgetRequestKind.RandomFraction:
                int count = (int)Math.Round(Fraction * train.Length, MidpointRounding.AwayFromZero);
                if (count == 0)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"fraction {Fraction} of {train.Length} training samples selects no sample; use a larger fraction"),
                        nameof(trainIds));
                }
                forget = Draw(labels, classNames.Count, train, count);
                break;
            default:
                forget = ResolveIds(labels.Length, train);
                break;
        }
        if (forget.Length == train.Length)
        {
            throw new ArgumentException(
                $"the request {this} would forget the whole training split ({train.Length} samples); nothing would be left to retain",
                nameof(trainIds));
        }
        Array.Sort(forget);
        int[] retain = Except(train, forget);
        return new ForgetSets(this, forget, retain, forgottenClasses);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string seed = string.Create(CultureInfo.InvariantCulture, $"@{Seed}");
        string prefix = Stratified ? "stratified-" : string.Empty;
        return Kind switch
        {
            ForgetRequestKind.Classes => $"classes:{string.Join(",", Classes)}",
            ForgetRequestKind.RandomCount => string.Create(CultureInfo.InvariantCulture, $"{prefix}count:{Count}{seed}"),
            ForgetRequestKind.RandomFraction => string.Create(CultureInfo.InvariantCulture, $"{prefix}fraction:{Fraction}{seed}"),
            _ => Source is not null ? $"ids:{Source}" : string.Create(CultureInfo.InvariantCulture, $"ids[{Ids.Count}]"),
        };
    }

    private int[] ResolveClasses(IReadOnlyList<string> classNames)
    {
        var result = new SortedSet<int>();
        foreach (string token in Classes)
        {
            int index = -1;
            for (int c = 0; c < classNames.Count && index < 0; c++)
            {
                if (string.Equals(classNames[c], token, StringComparison.Ordinal))
                {
                    index = c;
                }
            }
            if (index < 0)
            {
                int[] matches = Enumerable.Range(0, classNames.Count)
                    .Where(c => string.Equals(classNames[c], token, StringComparison.OrdinalIgnoreCase)).ToArray();
                if (matches.Length == 1)
                {
                    index = matches[0];
                }
            }
            if (index < 0 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int label))
            {
                if (label >= classNames.Count)
                {
                    throw new ArgumentException($"class index {label} is out of range: the dataset has classes 0..{classNames.Count - 1}", nameof(classNames));
                }
                index = label;
            }
            if (index < 0)
            {
                throw new ArgumentException(
                    $"unknown class '{token}'; valid names: {string.Join(", ", classNames)} (or an index 0..{classNames.Count - 1})",
                    nameof(classNames));
            }
            result.Add(index);
        }
        return result.ToArray();
    }

    private int[] Draw(ReadOnlySpan<int> labels, int numClasses, int[] train, int count)
    {
        if (count >= train.Length)
        {
            throw new ArgumentException(
                $"the request {this} asks for {count} samples, but the training split has {train.Length}; forgetting all of it leaves nothing to retain",
                nameof(train));
        }
        var random = new DeterministicRandom(DeterministicRandom.Hash(Seed, RequestSalt, Stratified ? 1UL : 0UL));
        if (!Stratified)
        {
            int[] pool = (int[])train.Clone();
            return random.SampleToFront<int>(pool, count).ToArray();
        }
        var byClass = new List<int>[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            byClass[c] = [];
        }
        foreach (int id in train)
        {
            byClass[labels[id]].Add(id);
        }
        // Largest-remainder allocation: quota_c = count × n_c / N, rounded so that the quotas sum to count.
        var quota = new int[numClasses];
        var remainder = new double[numClasses];
        int allocated = 0;
        for (int c = 0; c < numClasses; c++)
        {
            double exact = (double)count * byClass[c].Count / train.Length;
            quota[c] = (int)Math.Floor(exact);
            remainder[c] = exact - quota[c];
            allocated += quota[c];
        }
        foreach (int c in Enumerable.Range(0, numClasses).OrderByDescending(c => remainder[c]).ThenBy(c => c).Take(count - allocated))
        {
            quota[c]++;
        }
        var forget = new List<int>(count);
        for (int c = 0; c < numClasses; c++)
        {
            int[] pool = byClass[c].ToArray();
            forget.AddRange(random.SampleToFront<int>(pool, Math.Min(quota[c], pool.Length)).ToArray());
        }
        return forget.ToArray();
    }

    private int[] ResolveIds(int datasetCount, int[] train)
    {
        foreach (int id in Ids)
        {
            if ((uint)id >= (uint)datasetCount)
            {
                throw new ArgumentException(
                    $"{Source ?? "forget ids"}: id {id} is out of range; valid ids are 0..{datasetCount - 1}",
                    nameof(datasetCount));
            }
            if (Array.BinarySearch(train, id) < 0)
            {
                throw new ArgumentException(
                    $"{Source ?? "forget ids"}: id {id} is not in the training split ({train.Length} of the {datasetCount} ids; the others are held out for validation)",
                    nameof(train));
            }
        }
        return Ids.ToArray();
    }

    private static int[] Except(int[] sortedAll, int[] sortedRemoved)
    {
        var result = new int[sortedAll.Length - sortedRemoved.Length];
        int j = 0, k = 0;
        foreach (int id in sortedAll)
        {
            if (j < sortedRemoved.Length && sortedRemoved[j] == id)
            {
                j++;
            }
            else
            {
                result[k++] = id;
            }
        }
        return result;
    }
}
