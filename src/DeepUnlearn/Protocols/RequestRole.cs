namespace DeepUnlearn.Protocols;

/// <summary>What a forget request of a recipe is for.</summary>
public enum RequestRole
{
    /// <summary>A request whose results are reported in the leaderboard.</summary>
    Report,

    /// <summary>A request held out for hyper-parameter search only; its results are never reported as results.</summary>
    Validation,
}
