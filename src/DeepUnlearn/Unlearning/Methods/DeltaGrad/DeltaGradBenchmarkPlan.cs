using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// What <see cref="DeltaGradBenchmark"/> measures: the change rates, for deletions and/or additions, the
/// repeats, and optionally an online stream of single requests (the paper's online experiments apply one
/// sample per request).
/// </summary>
public sealed record DeltaGradBenchmarkPlan
{
    /// <summary>The paper-style rates: 0.01 %, 0.1 %, 1 % of the training set.</summary>
    public static IReadOnlyList<double> DefaultRates { get; } = [0.0001, 0.001, 0.01];

    /// <summary>Fractions of the training set deleted (or added) in one request each.</summary>
    public IReadOnlyList<double> Rates { get; init; } = DefaultRates;

    /// <summary>Deletion, addition, or both (default), measured at every rate.</summary>
    public IReadOnlyList<DatasetChangeKind> Changes { get; init; } = [DatasetChangeKind.Deletion, DatasetChangeKind.Addition];

    /// <summary>Repeats per rate, each with a different seeded sample.</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>k: requests of the online stream run for each change kind (0: no stream).</summary>
    public int StreamRequests { get; init; }

    /// <summary>Samples per request of the stream (1, as the authors' online runs).</summary>
    public int StreamRequestSize { get; init; } = 1;

    /// <summary>Throws when a value is out of range, naming the valid range.</summary>
    public void Validate()
    {
        if (Rates is null || Rates.Count == 0 || Rates.Any(r => !(r > 0 && r < 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(Rates), Rates is null ? "null" : string.Join(", ", Rates), "one or more rates in (0, 1)");
        }
        if (Changes is null || Changes.Count == 0 || Changes.Distinct().Count() != Changes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(Changes), Changes is null ? "null" : string.Join(", ", Changes), "deletion, addition or both, each once");
        }
        if (Repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "at least 1 repeat");
        }
        if (StreamRequests < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamRequests), StreamRequests, "0 (no stream) or more requests");
        }
        if (StreamRequestSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamRequestSize), StreamRequestSize, "at least 1 sample per request");
        }
    }

    /// <summary>Whether additions are measured (they need samples held out of the original training).</summary>
    internal bool HasAdditions => Changes.Contains(DatasetChangeKind.Addition);
}
