using System;
using System.Collections.Generic;
using DeepUnlearn.Models;

namespace DeepUnlearn.Unlearning;

/// <summary>What a method returns: the unlearned model (the caller owns and disposes it), its wall time and
/// method-specific diagnostics (FAMR's ‖θ − θ0‖, steps taken, masked fraction, ...).</summary>
public sealed class UnlearningOutcome : IDisposable
{
    /// <summary>Creates an outcome.</summary>
    public UnlearningOutcome(ClassifierModel model, double seconds, IReadOnlyDictionary<string, double>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Seconds = seconds;
        Diagnostics = diagnostics ?? new Dictionary<string, double>();
    }

    /// <summary>The unlearned model.</summary>
    public ClassifierModel Model { get; }

    /// <summary>Wall time of the method.</summary>
    public double Seconds { get; }

    /// <summary>Method-specific numbers, by snake_case name.</summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; }

    /// <summary>Files that belong beside the unlearned model's checkpoint (PGU's retain space); owned by the outcome.</summary>
    public IReadOnlyList<ICheckpointSidecar> Sidecars { get; init; } = [];

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
