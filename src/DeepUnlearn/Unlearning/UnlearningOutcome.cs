using System;
using System.Collections.Generic;
using DeepUnlearn.Models;

namespace DeepUnlearn.Unlearning;

/// <summary>What a method returns: the unlearned model (the caller owns and disposes it), its wall time and
/// method-specific diagnostics (FAMR's ‖θ − θ0‖, steps taken, masked fraction, ...).</summary>
public sealed class UnlearningOutcome : IDisposable
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="model">The unlearned model (the caller owns it).</param>
    /// <param name="seconds">Wall time of the method.</param>
    /// <param name="diagnostics">Method-specific numbers.</param>
    /// <param name="qualifier">What this run was when the request decided it, shown beside the method's name in reports (<c>T0=1</c>).</param>
    public UnlearningOutcome(ClassifierModel model, double seconds, IReadOnlyDictionary<string, double>? diagnostics = null, string? qualifier = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Seconds = seconds;
        Diagnostics = diagnostics ?? new Dictionary<string, double>();
        Qualifier = qualifier;
    }

    /// <summary>The unlearned model.</summary>
    public ClassifierModel Model { get; }

    /// <summary>Wall time of the method.</summary>
    public double Seconds { get; }

    /// <summary>Method-specific numbers, by snake_case name.</summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; }

    /// <summary>Files that belong beside the unlearned model's checkpoint (PGU's retain space); owned by the outcome.</summary>
    public IReadOnlyList<ICheckpointSidecar> Sidecars { get; init; } = [];

    /// <summary>
    /// What this run was, when the request (not only the options) decided it, e.g. <c>T0=1</c> for a DeltaGrad replay
    /// made exact for a class request; reports show it beside the method's name. Null when there is nothing to add.
    /// </summary>
    public string? Qualifier { get; }

    /// <summary>The name reports give this run: <paramref name="method"/>, followed by the <see cref="Qualifier"/> in parentheses.</summary>
    public string Label(string method) => Qualifier is null ? method : $"{method} ({Qualifier})";

    /// <summary>Releases the model and the sidecars.</summary>
    public void Dispose()
    {
        Model.Dispose();
        foreach (ICheckpointSidecar sidecar in Sidecars)
        {
            sidecar.Dispose();
        }
    }
}
