namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>Where PGU's representation R_D of the training data comes from.</summary>
public enum PguRetainSpaceMode
{
    /// <summary>
    /// The retain space stored beside the checkpoint (<see cref="PguRetainSpace.PathFor"/>) when it belongs to
    /// the checkpoint's weights and data; otherwise computed from the training data and, when the checkpoint's
    /// path is known, stored beside it for later requests.
    /// </summary>
    Auto,

    /// <summary>Only the stored retain space: a request then reads D_f and never the retain data's inputs; an error when it is missing or belongs to other weights.</summary>
    Stored,

    /// <summary>Always computed from the training data; nothing is read or written beside the checkpoint.</summary>
    Recompute,
}
