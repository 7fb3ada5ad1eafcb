namespace DeepUnlearn.Data.Splits;

/// <summary>What a <see cref="ForgetRequest"/> asks to forget.</summary>
public enum ForgetRequestKind
{
    /// <summary>Every training sample of some classes (class-wise forgetting).</summary>
    Classes,

    /// <summary>A seeded random number of training samples.</summary>
    RandomCount,

    /// <summary>A seeded random fraction of the training samples.</summary>
    RandomFraction,

    /// <summary>An explicit list of sample ids (from a file or from code).</summary>
    Ids,
}
