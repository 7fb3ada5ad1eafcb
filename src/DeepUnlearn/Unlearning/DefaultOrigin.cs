namespace DeepUnlearn.Unlearning;

/// <summary>Where the default value of a method's setting comes from (shown by <c>deepunlearn list methods</c>).</summary>
public enum DefaultOrigin
{
    /// <summary>The method's paper states it.</summary>
    Paper,

    /// <summary>The authors' released code or its documented command lines (when the paper does not say, or says otherwise).</summary>
    AuthorsCode,

    /// <summary>Chosen by DeepUnlearn (tuned on our models, scaled down, an extension of the method, or a safety limit).</summary>
    Ours,
}
