namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>The settings of the RL loop shared by random-label unlearning and SalUn.</summary>
/// <param name="Epochs">Epochs.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Loop">The loop (resolved per dataset when <see cref="RandomLabelLoop.Auto"/>).</param>
/// <param name="ExcludeTrueLabel">Draw random labels from the K − 1 wrong classes only.</param>
internal sealed record RandomLabelTraining(int Epochs, int BatchSize, RandomLabelLoop Loop, bool ExcludeTrueLabel)
{
    /// <summary>Classes from which <see cref="RandomLabelLoop.Auto"/> mixes D_f and D_r (CIFAR-100 has 100, CIFAR-10 10).</summary>
    public const int MixedFromClasses = 100;

    /// <summary>
    /// The loop run on a dataset of <paramref name="numClasses"/> classes: <see cref="Loop"/> itself unless it is
    /// <see cref="RandomLabelLoop.Auto"/>, which follows RL.py (forget-then-retain for CIFAR-10 and SVHN, mixed for
    /// CIFAR-100 and Tiny-ImageNet) through the class count.
    /// </summary>
    public static RandomLabelLoop Resolve(RandomLabelLoop loop, int numClasses) => loop switch
    {
        RandomLabelLoop.Auto => numClasses >= MixedFromClasses ? RandomLabelLoop.Mixed : RandomLabelLoop.ForgetThenRetain,
        _ => loop,
    };
}
