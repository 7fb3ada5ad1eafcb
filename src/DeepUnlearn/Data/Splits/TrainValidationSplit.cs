using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Data.Splits;

/// <summary>
/// A seeded, class-stratified hold-out of a training dataset, as in the SalUn / Unlearn-Sparse code:
/// from every class, <c>floor(fraction × class size)</c> ids chosen at random go to validation
/// (CIFAR-10 with 10%: 45,000 train / 5,000 validation, 500 per class). Both sets are sorted.
/// </summary>
public sealed class TrainValidationSplit
{
    private const ulong SplitSalt = 0x76616C6964617465UL;

    private TrainValidationSplit(int[] train, int[] validation, double validationFraction, ulong seed)
    {
        Train = train;
        Validation = validation;
        ValidationFraction = validationFraction;
        Seed = seed;
    }

    /// <summary>The SalUn protocol's validation fraction (10% per class).</summary>
    public const double DefaultValidationFraction = 0.1;

    /// <summary>Training ids, sorted.</summary>
    public int[] Train { get; }

    /// <summary>Validation ids, sorted.</summary>
    public int[] Validation { get; }

    /// <summary>The fraction of each class held out.</summary>
    public double ValidationFraction { get; }

    /// <summary>The seed that chose the validation ids.</summary>
    public ulong Seed { get; }

    /// <summary>Splits <paramref name="dataset"/>'s ids (see <see cref="Stratified"/>).</summary>
    public static TrainValidationSplit Create(IVisionDataset dataset, double validationFraction = DefaultValidationFraction, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Stratified(dataset.Labels.Span, dataset.NumClasses, validationFraction, seed);
    }

    /// <summary>
    /// Splits ids 0..labels.Length-1: for each class c, <c>floor(fraction × n_c)</c> of its ids, drawn
    /// with a generator seeded by <paramref name="seed"/>, become validation ids.
    /// </summary>
    /// <param name="labels">The label of every id.</param>
    /// <param name="numClasses">The number of classes (labels must be below it).</param>
    /// <param name="validationFraction">The fraction of each class held out, in [0, 1).</param>
    /// <param name="seed">The split's seed.</param>
    public static TrainValidationSplit Stratified(ReadOnlySpan<int> labels, int numClasses, double validationFraction = DefaultValidationFraction, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "the validation fraction must be in [0, 1)");
        }
        var byClass = new List<int>[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            byClass[c] = [];
        }
        for (int id = 0; id < labels.Length; id++)
        {
            int label = labels[id];
            if ((uint)label >= (uint)numClasses)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"id {id} has label {label}, outside 0..{numClasses - 1}"), nameof(labels));
            }
            byClass[label].Add(id);
        }
        var random = new DeterministicRandom(DeterministicRandom.Hash(seed, SplitSalt));
        var validation = new List<int>();
        for (int c = 0; c < numClasses; c++)
        {
            int[] ids = byClass[c].ToArray();
            int take = (int)Math.Floor(validationFraction * ids.Length);
            validation.AddRange(random.SampleToFront<int>(ids, take).ToArray());
        }
        int[] validationIds = validation.ToArray();
        Array.Sort(validationIds);
        var isValidation = new bool[labels.Length];
        foreach (int id in validationIds)
        {
            isValidation[id] = true;
        }
        int[] train = Enumerable.Range(0, labels.Length).Where(id => !isValidation[id]).ToArray();
        return new TrainValidationSplit(train, validationIds, validationFraction, seed);
    }
}
