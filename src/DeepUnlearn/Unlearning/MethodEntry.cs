using System;

namespace DeepUnlearn.Unlearning;

/// <summary>A registered unlearning method: name, one-line summary, source, its options type and factory.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="Summary">What it does, in one line.</param>
/// <param name="Source">The paper or code it follows.</param>
/// <param name="OptionsType">Its options record.</param>
/// <param name="Defaults">Creates the default options.</param>
/// <param name="Factory">Creates the method from options.</param>
public sealed record MethodEntry(string Name, string Summary, string Source, Type OptionsType, Func<IMethodOptions> Defaults, Func<IMethodOptions, IUnlearningMethod> Factory);
