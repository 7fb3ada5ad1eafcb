namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>The models DeltaGrad's experiments train from scratch.</summary>
public enum FlatModelKind
{
    /// <summary><see cref="MultinomialLogisticRegression"/>.</summary>
    LogisticRegression,

    /// <summary><see cref="TwoLayerPerceptron"/>.</summary>
    Mlp,
}
