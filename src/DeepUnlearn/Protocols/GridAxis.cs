using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>One hyper-parameter of a method's search grid and the values it takes.</summary>
/// <param name="Key">The setting (as <c>--set method.key=value</c> takes it).</param>
/// <param name="Values">Its candidate values, spelled as <c>--set</c> takes them.</param>
public sealed record GridAxis(string Key, IReadOnlyList<string> Values);
