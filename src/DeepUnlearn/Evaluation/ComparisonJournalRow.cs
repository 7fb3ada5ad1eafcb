using System.Collections.Generic;

namespace DeepUnlearn.Evaluation;

/// <summary>One finished row of a comparison as <see cref="ComparisonJournal"/> keeps it.</summary>
/// <param name="Row">What it is the row of: a method label, <c>retrain</c>, <c>do nothing</c>, <c>reference</c> or <c>original</c>.</param>
/// <param name="Seed">The seed (null for the original, which is one row for every seed).</param>
/// <param name="Metrics">The row as the report shows it (compared with the retrained model where the report does); null for
/// the attacks' extra reference retrains, which are kept for their model only.</param>
/// <param name="Files">The model and its sidecars, relative to the journal's folder (empty for rows without a model).</param>
public sealed record ComparisonJournalRow(string Row, ulong? Seed, UnlearningMetrics? Metrics, IReadOnlyList<string> Files);
