using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// The one update rule the trainer records and DeltaGrad replays: w ← w − η (g + λ w), with g the
/// gradient of the data loss and λ the L2 weight decay. Keeping it in one place makes the replay of a
/// recorded step reproduce the trainer's arithmetic exactly.
/// </summary>
internal static class SgdUpdate
{
    /// <summary>Applies the update to <paramref name="parameters"/> in place.</summary>
    public static void Apply(Tensor parameters, Tensor dataGradient, double learningRate, double weightDecay)
    {
        using var scope = torch.NewDisposeScope();
        Tensor step = weightDecay == 0 ? dataGradient : dataGradient.add(parameters, alpha: weightDecay);
        // w − η s as add_(s, −η): libtorch's sub_ with alpha is add_ with the negated alpha, bit for bit.
        parameters.add_(step, alpha: -learningRate);
    }
}
