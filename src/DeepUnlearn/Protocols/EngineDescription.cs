using System.Text.Json.Serialization;

namespace DeepUnlearn.Protocols;

/// <summary>What computed a result.</summary>
/// <param name="Runner"><c>engine</c> (real tensors) or <c>synthetic</c> (made-up numbers for plumbing tests).</param>
/// <param name="Libtorch">The libtorch version (or "none").</param>
/// <param name="Device">The device (<c>cpu</c>, <c>cuda:0</c>).</param>
/// <param name="Threads">Intra-op threads.</param>
public sealed record EngineDescription(string Runner, string Libtorch, string Device, int Threads)
{
    /// <summary>Whether the numbers are synthetic.</summary>
    [JsonIgnore]
    public bool IsSynthetic => Runner == SyntheticCellRunner.RunnerName;
}
