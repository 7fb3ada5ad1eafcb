namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// One step of a per-sample image pipeline (torchvision's transforms, on float CHW images in [0, 1]).
/// Implementations keep no per-call state, so one instance serves every loader worker concurrently;
/// random ones draw only from <see cref="TransformContext.Random"/>. <c>ToString()</c> describes the
/// transform with its parameters (it goes into run manifests).
/// </summary>
public interface IImageTransform
{
    /// <summary>Transforms <see cref="TransformContext.Image"/> (in place, or into the scratch image and swap).</summary>
    void Apply(TransformContext context);
}
