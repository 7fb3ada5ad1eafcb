namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// How an epoch of random-label unlearning (RL, and SalUn on top of it) visits the data. The authors' <c>RL.py</c>
/// (OPTML-Group/Unlearn-Saliency, Classification/unlearn/RL.py) has one loop per dataset family.
/// </summary>
public enum RandomLabelLoop
{
    /// <summary>
    /// <see cref="ForgetThenRetain"/> for datasets of fewer than 100 classes, <see cref="Mixed"/> for 100 or more:
    /// the authors' choice on each of their datasets (CIFAR-10 and SVHN: forget then retain; CIFAR-100 and
    /// Tiny-ImageNet: mixed), extended by class count to the datasets they did not run (our rule).
    /// </summary>
    Auto,

    /// <summary>
    /// RL.py's CIFAR-10 / SVHN branch: every epoch, all forget batches (shuffled, random labels) and then all
    /// retain batches (shuffled, true labels), one optimizer step per batch.
    /// </summary>
    ForgetThenRetain,

    /// <summary>
    /// RL.py's CIFAR-100 / Tiny-ImageNet branch: every epoch, D_f (random labels) and D_r (true labels) concatenated
    /// and shuffled together, so batches mix both.
    /// </summary>
    Mixed,
}
