namespace DeepUnlearn.Training;

/// <summary>Learning-rate schedules, stepped once per epoch.</summary>
public enum ScheduleKind
{
    /// <summary>A constant rate.</summary>
    Constant,

    /// <summary>Multiply by gamma every step_size epochs.</summary>
    Step,

    /// <summary>Multiply by gamma at each milestone epoch.</summary>
    MultiStep,

    /// <summary>Cosine annealing to zero over the epochs (after any warm-up).</summary>
    Cosine,
}
