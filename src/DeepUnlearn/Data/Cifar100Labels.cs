namespace DeepUnlearn.Data;

/// <summary>Which CIFAR-100 label a dataset carries.</summary>
public enum Cifar100Labels
{
    /// <summary>The 100 fine classes (the usual benchmark).</summary>
    Fine,

    /// <summary>The 20 coarse superclasses.</summary>
    Coarse,
}
