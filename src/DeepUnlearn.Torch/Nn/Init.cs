using System;

namespace DeepUnlearn.Torch.Nn;

/// <summary>Which fan a Kaiming initialiser preserves.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>The non-linearity an initialiser's gain is computed for (torch.nn.init.calculate_gain).</summary>
public enum Nonlinearity
{
    /// <summary>Identity, convolutions, sigmoid: gain 1.</summary>
    Linear,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with slope a: gain √(2 / (1 + a²)).</summary>
    LeakyRelu,

    /// <summary>tanh: gain 5/3.</summary>
    Tanh,
}

/// <summary>
/// Weight initialisers with torch.nn.init's formulas, in place and without recording gradients.
/// Fans follow PyTorch: fan_in = size(1)·receptive field, fan_out = size(0)·receptive field.
/// </summary>
public static class Init
{
    /// <summary>torch.nn.init.calculate_gain.</summary>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear => 1.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope))),
        Nonlinearity.Tanh => 5.0 / 3,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "unknown non-linearity"),
    };

    /// <summary>(fan_in, fan_out) of a weight tensor with at least 2 dims.</summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Dim < 2)
        {
            throw new ArgumentException($"fans need a tensor with at least 2 dims, got {weight.Dim}", nameof(weight));
        }
        long receptive = 1;
        for (int d = 2; d < weight.Dim; d++)
        {
            receptive *= weight.Size(d);
        }
        return (weight.Size(1) * receptive, weight.Size(0) * receptive);
    }

    /// <summary>U(−bound, bound) with bound = gain·√(3 / fan) (He et al. 2015).</summary>
    public static Tensor KaimingUniform(Tensor weight, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        double bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / Fan(weight, mode));
        return Uniform(weight, -bound, bound, generator);
    }

    /// <summary>N(0, std²) with std = gain / √fan (He et al. 2015).</summary>
    public static Tensor KaimingNormal(Tensor weight, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        double std = Gain(nonlinearity, a) / Math.Sqrt(Fan(weight, mode));
        return Normal(weight, 0, std, generator);
    }

    /// <summary>U(−bound, bound) with bound = gain·√(6 / (fan_in + fan_out)) (Glorot and Bengio 2010).</summary>
    public static Tensor XavierUniform(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(weight, -bound, bound, generator);
    }

    /// <summary>N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        return Normal(weight, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Fills with U(low, high).</summary>
    public static Tensor Uniform(Tensor tensor, double low, double high, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = LibTorch.NoGrad();
        return tensor.UniformInPlace(low, high, generator);
    }

    /// <summary>Fills with N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, double mean, double std, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = LibTorch.NoGrad();
        return tensor.NormalInPlace(mean, std, generator);
    }

    /// <summary>Fills with a constant.</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var noGrad = LibTorch.NoGrad();
        return tensor.FillInPlace(value);
    }

    /// <summary>Fills with zeros.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Fills with ones.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>
    /// PyTorch's default initialisation of Linear and Conv2d layers (reset_parameters): weight
    /// kaiming_uniform(a = √5), which is U(±1/√fan_in), and bias U(±1/√fan_in).
    /// </summary>
    public static void DefaultLayer(Tensor weight, Tensor? bias, Generator? generator = null)
    {
        KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        if (bias is not null)
        {
            double bound = 1 / Math.Sqrt(Fans(weight).FanIn);
            Uniform(bias, -bound, bound, generator);
        }
    }

    private static long Fan(Tensor weight, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(weight);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
