using System;

namespace DeepUnlearn.Data.Splits;

/// <summary>
/// The SalUn / Unlearn-Sparse data protocol in one object: a seeded class-stratified train/validation
/// split of the training dataset, and a deletion request resolved over its training part into forget
/// and retain sets. Every set is a sorted array of ids of the training dataset.
/// </summary>
public sealed class UnlearningSplit
{
    private UnlearningSplit(TrainValidationSplit trainValidation, ForgetSets sets)
    {
        TrainValidation = trainValidation;
        Sets = sets;
    }

    /// <summary>The train/validation split.</summary>
    public TrainValidationSplit TrainValidation { get; }

    /// <summary>The forget and retain sets.</summary>
    public ForgetSets Sets { get; }

    /// <summary>Training ids (D = D_f ∪ D_r).</summary>
    public int[] Train => TrainValidation.Train;

    /// <summary>Validation ids (held out, never trained on).</summary>
    public int[] Validation => TrainValidation.Validation;

    /// <summary>D_f.</summary>
    public int[] Forget => Sets.Forget;

    /// <summary>D_r.</summary>
    public int[] Retain => Sets.Retain;

    /// <summary>Creates the split of <paramref name="train"/> and resolves <paramref name="request"/> over it.</summary>
    /// <param name="train">The training dataset.</param>
    /// <param name="request">The deletion request.</param>
    /// <param name="validationFraction">Held out per class (10% in the SalUn protocol; 0 for none).</param>
    /// <param name="splitSeed">The seed of the validation draw.</param>
    public static UnlearningSplit Create(IVisionDataset train, ForgetRequest request, double validationFraction = TrainValidationSplit.DefaultValidationFraction, ulong splitSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(request);
        TrainValidationSplit split = TrainValidationSplit.Create(train, validationFraction, splitSeed);
        return new UnlearningSplit(split, request.Resolve(train, split));
    }
}
