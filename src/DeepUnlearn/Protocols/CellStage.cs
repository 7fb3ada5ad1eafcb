namespace DeepUnlearn.Protocols;

/// <summary>The two stages of a sweep.</summary>
public enum CellStage
{
    /// <summary>Grid points of searched methods (and their oracles' evaluation) on validation requests.</summary>
    Validation,

    /// <summary>Every method (searched ones with their chosen settings) and retrain on the reported requests.</summary>
    Report,
}
