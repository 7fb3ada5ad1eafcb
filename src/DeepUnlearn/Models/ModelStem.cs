using System.Text.Json.Serialization;

namespace DeepUnlearn.Models;

/// <summary>Which input stem (ResNet) or head layout (VGG) a model uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelStem>))]
public enum ModelStem
{
    /// <summary>
    /// Small images (CIFAR, ≤ 64 px): ResNet with a 3×3 stride-1 first convolution and no max-pool; VGG with
    /// a 1×1 average pool and a single 512→K linear classifier (as in the SalUn / Unlearn-Sparse code).
    /// </summary>
    [JsonStringEnumMemberName("cifar")]
    Cifar,

    /// <summary>torchvision's ImageNet layout: ResNet with a 7×7 stride-2 convolution and a 3×3 max-pool; VGG
    /// with a 7×7 average pool and a 4096-4096-K classifier.</summary>
    [JsonStringEnumMemberName("imagenet")]
    ImageNet,
}
