namespace DeepUnlearn.Reporting;

/// <summary>What a run may find in its output directory (<see cref="RunDirectory.Claim"/>).</summary>
public enum RunDirectoryMode
{
    /// <summary>Nothing but leftovers of interrupted writes: the run is new.</summary>
    New,

    /// <summary>An earlier run of the same command, which this run continues.</summary>
    Resume,

    /// <summary>Anything: the run replaces it.</summary>
    Overwrite,
}
