using System;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// How many managed tensors are alive in this process, for leak checks (tests, <c>deepunlearn bench engine</c>).
/// TorchSharp counts every <c>Tensor</c> object it creates and has not yet released (<c>torch.Tensor.TotalCount</c>),
/// but objects that some earlier code dropped without disposing are only released by their finalizer, at an unknown
/// later time (layer constructors leave a couple per layer): <see cref="Settled"/> runs the garbage collector and the
/// finalizers first, so a baseline does not depend on what ran before it.
/// </summary>
/// <remarks>
/// The count is exact only across code that makes no <c>Parameter</c>: TorchSharp's <c>Parameter(tensor)</c> takes the
/// tensor's native handle without decrementing the count for the emptied tensor, so every Parameter made (building a
/// layer, a <c>Module.to()</c> that replaces parameters) raises the count by one for good (building and disposing a
/// smallcnn: +10, its parameter count). Take the baseline after the model is built and moved, and compare around the
/// steps, forward passes or batches being checked.
/// </remarks>
public static class LiveTensors
{
    /// <summary>The managed tensors alive now, including those waiting for their finalizer.</summary>
    public static long Count => torch.Tensor.TotalCount;

    /// <summary>
    /// <see cref="Count"/> after a full garbage collection and the finalizers it queued: the tensors something still
    /// holds. Costs a blocking collection; call it outside timed loops.
    /// </summary>
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.Tensor.TotalCount;
    }
}
