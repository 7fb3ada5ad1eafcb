using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>The weight initialisations of torchvision's model constructors.</summary>
internal static class ModelInit
{
    /// <summary>
    /// torchvision's ResNet and VGG: every convolution kaiming_normal(fan_out, relu) with zero bias; every
    /// BatchNorm weight 1, bias 0. With <paramref name="linearStd"/>, every Linear gets N(0, std²) weights and
    /// zero bias (VGG); without, Linear layers keep PyTorch's default initialisation (ResNet's fc).
    /// </summary>
    public static void TorchvisionConvNet(Module model, double? linearStd, Generator? generator)
    {
        foreach (var (_, module) in model.NamedModules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.KaimingNormal(conv.Weight, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: generator);
                    if (conv.Bias is not null)
                    {
                        Init.Zeros(conv.Bias);
                    }
                    break;
                case BatchNorm2d bn:
                    if (bn.Weight is not null)
                    {
                        Init.Ones(bn.Weight);
                    }
                    if (bn.Bias is not null)
                    {
                        Init.Zeros(bn.Bias);
                    }
                    break;
                case Linear linear when linearStd is double std:
                    Init.Normal(linear.Weight, 0, std, generator);
                    if (linear.Bias is not null)
                    {
                        Init.Zeros(linear.Bias);
                    }
                    break;
            }
        }
    }
}
