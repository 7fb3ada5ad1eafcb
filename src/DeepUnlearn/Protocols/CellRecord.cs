namespace DeepUnlearn.Protocols;

/// <summary>A published cell as read back: its manifest and, when it succeeded, its metrics.</summary>
/// <param name="Directory">The cell's directory.</param>
/// <param name="Manifest">Its manifest.</param>
/// <param name="Metrics">Its metrics (null when it failed).</param>
public sealed record CellRecord(string Directory, CellManifest Manifest, CellMetrics? Metrics)
{
    /// <summary>Whether the cell succeeded.</summary>
    public bool Ok => Manifest.Status == CellManifest.StatusOk && Metrics is not null;
}
