namespace DeepUnlearn.Engine;

/// <summary>
/// The weight initialisation <see cref="SeededInitializer"/> applies, per layer kind: the rules of PyTorch's layer
/// constructors or of torchvision's model constructors, as the model zoo uses them (Models/ModelInit.cs).
/// Normalisation layers (BatchNorm, GroupNorm, LayerNorm, InstanceNorm) always get weight 1, bias 0 and fresh running
/// statistics (mean 0, variance 1, no batches tracked).
/// </summary>
public sealed record InitRules
{
    private InitRules(bool torchvisionConvolutions, double? linearStd)
    {
        TorchvisionConvolutions = torchvisionConvolutions;
        LinearStd = linearStd;
    }

    /// <summary>
    /// PyTorch's <c>reset_parameters</c> of every layer: convolution and linear weights kaiming_uniform(a = √5), which
    /// is U(±1/√fan_in), and biases U(±1/√fan_in). The zoo's SmallCnn and AllCnn use these.
    /// </summary>
    public static InitRules PyTorchDefault { get; } = new(false, null);

    /// <summary>
    /// torchvision's ResNet (<paramref name="linearStd"/> null: linear layers keep PyTorch's default) and VGG
    /// (<paramref name="linearStd"/> 0.01: linear weights N(0, std²), zero biases): every convolution weight
    /// kaiming_normal(mode = fan_out, nonlinearity = relu), that is N(0, 2/fan_out), with zero bias.
    /// </summary>
    public static InitRules TorchvisionConvNet(double? linearStd = null) => new(true, linearStd);

    /// <summary>Whether convolutions get torchvision's kaiming_normal(fan_out, relu) and zero bias (else PyTorch's default).</summary>
    public bool TorchvisionConvolutions { get; }

    /// <summary>When set, linear weights are N(0, std²) and linear biases zero (else PyTorch's default).</summary>
    public double? LinearStd { get; }
}
