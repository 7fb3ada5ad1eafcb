using System;
using DeepUnlearn.Training;

namespace DeepUnlearn.Unlearning.Methods.Famr;

/// <summary>
/// Options of <see cref="FamrMethod"/>: Forget-Aligned Model Reconstruction, "Train Once, Forget Precisely:
/// Anchored Optimization for Efficient Post-Hoc Unlearning" (Sanga, Singh and Dubey, arXiv 2506.14515),
/// which minimises
/// <code>
/// L(θ) = (1/|D_f|) Σ_{x∈D_f} KL(u ‖ softmax(f_θ(x))) + (ρ/2)·‖θ − θ0‖²
/// </code>
/// with u the uniform distribution over the K classes and θ0 the original weights.
/// The copy of the paper available to us gives the objective but not its optimisation recipe; the defaults
/// below were chosen on class forgetting with the demo's model (smallcnn, one epoch on Fashion-MNIST, forget
/// Trouser), and are a starting point for other models, not the paper's numbers.
/// <para>
/// Measured there (54,000 training images, 2 CPU cores) at the true objective, i.e. with the anchor in the
/// gradient so that momentum keeps the stationary point ∇KL + ρ(θ − θ0) = 0 (<see cref="FamrUpdate"/>; on
/// TorchSharp 0.107 / libtorch 2.10, 2026-12-07): with every parameter optimised (the default, the paper's form)
/// forget accuracy falls 98.9% → 17.1% in 215 steps and retain accuracy 88.2% → 83.5%; in the demo's compare
/// (another original of the same recipe) UA 74.7, RA 82.3 against retraining's 100 and 86.1. The figures measured
/// before that fix ("forgets completely, 99.1% → 0.15%, at −3.7 points of retain accuracy") were those of an anchor
/// that momentum 0.9 had weakened ten-fold, ρ(1 − μ); they are withdrawn. At the true objective the anchor holds
/// part of the class while the KL term still costs the retain set: the paper's form trades both ways here.
/// </para>
/// <para>
/// With <see cref="Parameters"/> = <see cref="FamrParameters.Head"/> the feature extractor keeps θ0 and retain
/// accuracy stays within 0.7 points over 1,720 steps, but near the head's optimum the outputs on D_f are so
/// close to uniform that the forgotten class wins its near-ties on 1.6–13% of D_f from epoch to epoch; with
/// <see cref="StopAtForgetAccuracy"/> = 5 the run stops after one epoch (43 steps, 4 s) at 0.0% forget and
/// 87.2% retain accuracy (−1.3 points; −2.3 on the three-epoch model). Those head-form figures predate the anchor
/// fix; the integration test still holds the head form with the stop to ≤ 5% forget and within 3 retain points.
/// </para>
/// </summary>
public sealed record FamrOptions : IMethodOptions
{
    /// <summary>Passes over the forget set D_f.</summary>
    [DefaultFrom(DefaultOrigin.Ours, "tuned on the demo's model; the paper's recipe was not available")]
    public int Epochs { get; init; } = 5;

    /// <summary>Total optimisation steps; overrides <see cref="Epochs"/> when set (the loader cycles over D_f).</summary>
    [DefaultFrom(DefaultOrigin.Ours, "unset: epochs decide")]
    public int? Steps { get; init; }

    /// <summary>Step size η of the optimizer on the whole objective (for SGD also of the implicit anchor step).</summary>
    [DefaultFrom(DefaultOrigin.Ours, "tuned on the demo's model")]
    public double LearningRate { get; init; } = 0.01;

    /// <summary>
    /// Anchor strength ρ of (ρ/2)·‖θ − θ0‖². Every optimizer converges to ∇L_KL(θ) + ρ(θ − θ0) = 0. With SGD the
    /// anchor's term is implicit (a proximal step), so any ρ ≥ 0 is stable and ρ = ∞ returns θ0; Adam needs a
    /// finite ρ. ρ = 0 drops the anchor.
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours, "tuned on the demo's model")]
    public double Rho { get; init; } = 1.0;

    /// <summary>
    /// Which parameters move: <see cref="FamrParameters.All"/> (the paper's form) or
    /// <see cref="FamrParameters.Head"/> (the classification head; the feature extractor keeps θ0).
    /// </summary>
    [DefaultFrom(DefaultOrigin.Paper, "the objective over every weight")]
    public FamrParameters Parameters { get; init; } = FamrParameters.All;

    /// <summary>
    /// Stop at the end of the first epoch whose accuracy on D_f (evaluation mode, all of D_f) is at most this
    /// many percent; null runs every epoch. Useful with <see cref="FamrParameters.Head"/>, whose optimum is a
    /// near-tie on D_f. With every parameter optimised the first epoch already costs most of the retain
    /// accuracy (see the remarks), so an early stop there returns a damaged model.
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours, "extension, off")]
    public double? StopAtForgetAccuracy { get; init; }

    /// <summary>Mini-batch size over D_f.</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// The optimizer, run on the gradient of the whole objective: SGD (heavy-ball momentum <see cref="Momentum"/>,
    /// the anchor taken implicitly) or Adam (torch defaults β = (0.9, 0.999), ε = 1e-8).
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>SGD's heavy-ball momentum μ, on the whole objective's gradient (ignored by Adam).</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public double Momentum { get; init; } = 0.9;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "famr", "epochs");
        if (Steps is int steps)
        {
            OptionChecks.AtLeastOne(steps, "famr", "steps");
        }
        OptionChecks.Positive(LearningRate, "famr", "learning_rate");
        OptionChecks.NonNegative(Rho, "famr", "rho");
        OptionChecks.BatchSize(BatchSize, "famr", "batch_size");
        OptionChecks.Require(Optimizer is OptimizerKind.Sgd or OptimizerKind.Adam, "famr", "optimizer", "sgd or adam (the anchor replaces weight decay)", Optimizer);
        OptionChecks.InRange(Momentum, 0, 0.999, "famr", "momentum");
        OptionChecks.Require(Optimizer != OptimizerKind.Adam || double.IsFinite(Rho), "famr", "rho", "finite with optimizer=adam (Adam takes the anchor's gradient explicitly; sgd accepts rho=Infinity)", Rho);
        OptionChecks.Require(Enum.IsDefined(Parameters), "famr", "parameters", "all or head", Parameters);
        if (StopAtForgetAccuracy is double stop)
        {
            OptionChecks.InRange(stop, 0, 100, "famr", "stop_at_forget_accuracy");
        }
    }
}
