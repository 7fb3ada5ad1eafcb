using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch.Nn;

/// <summary>Stateless neural-network functions (torch.nn.functional). Tensors are NCHW.</summary>
public static class Functional
{
    /// <summary>y = x · Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        int status = NativeMethods.du_nn_linear(input.Handle, weight.Handle, Tensor.PointerOrZero(bias), out TensorHandle h);
        GC.KeepAlive(bias);
        return Tensor.Wrap(status, h);
    }

    /// <summary>2-D convolution; stride, padding and dilation apply to both spatial dims.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with per-dim (h, w) stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding, (long H, long W) dilation, long groups = 1)
    {
        int status = NativeMethods.du_nn_conv2d(
            input.Handle, weight.Handle, Tensor.PointerOrZero(bias),
            [stride.H, stride.W], [padding.H, padding.W], [dilation.H, dilation.W], groups, out TensorHandle h);
        GC.KeepAlive(bias);
        return Tensor.Wrap(status, h);
    }

    /// <summary>2-D max pooling (stride defaults to the kernel size).</summary>
    public static Tensor MaxPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    {
        long s = stride ?? kernelSize;
        return Tensor.Wrap(NativeMethods.du_nn_max_pool2d(input.Handle, [kernelSize, kernelSize], [s, s], [padding, padding], [dilation, dilation], ceilMode ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>2-D average pooling (stride defaults to the kernel size).</summary>
    public static Tensor AvgPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        long s = stride ?? kernelSize;
        return Tensor.Wrap(NativeMethods.du_nn_avg_pool2d(input.Handle, [kernelSize, kernelSize], [s, s], [padding, padding], ceilMode ? 1 : 0, countIncludePad ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>Average pooling to an (h, w) output whatever the input size.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, long outputH, long outputW) =>
        Tensor.Wrap(NativeMethods.du_nn_adaptive_avg_pool2d(input.Handle, [outputH, outputW], out TensorHandle h), h);

    /// <summary>
    /// Batch normalisation over dim 1. Training: normalise with the batch statistics and update the
    /// running statistics in place (new = (1 − momentum) · old + momentum · batch, unbiased variance);
    /// evaluation: normalise with the running statistics.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        int status = NativeMethods.du_nn_batch_norm(
            input.Handle, Tensor.PointerOrZero(weight), Tensor.PointerOrZero(bias),
            Tensor.PointerOrZero(runningMean), Tensor.PointerOrZero(runningVar),
            training ? 1 : 0, momentum, eps, out TensorHandle h);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        GC.KeepAlive(runningMean);
        GC.KeepAlive(runningVar);
        return Tensor.Wrap(status, h);
    }

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1 − p) when training.</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true)
    {
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        }
        return Tensor.Wrap(NativeMethods.du_nn_dropout(input.Handle, p, training ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor input) => input.Relu();

    /// <summary>Leaky ReLU.</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => input.LeakyRelu(negativeSlope);

    /// <summary>GELU.</summary>
    public static Tensor Gelu(Tensor input, bool tanhApproximation = false) => input.Gelu(tanhApproximation);

    /// <summary>SiLU (swish).</summary>
    public static Tensor Silu(Tensor input) => input.Silu();

    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>tanh.</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor input, long dim = -1) => Tensor.Wrap(NativeMethods.du_nn_softmax(input.Handle, dim, out TensorHandle h), h);

    /// <summary>log-softmax along <paramref name="dim"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor input, long dim = -1) => Tensor.Wrap(NativeMethods.du_nn_log_softmax(input.Handle, dim, out TensorHandle h), h);

    /// <summary>
    /// Cross entropy of logits [N, C] against int64 class indices [N] or class probabilities [N, C]
    /// ("soft targets"), with optional class weights and label smoothing, as torch.nn.functional.cross_entropy.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, double labelSmoothing = 0)
    {
        if (labelSmoothing is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1]");
        }
        int status = NativeMethods.du_nn_cross_entropy(input.Handle, target.Handle, Tensor.PointerOrZero(weight), (int)reduction, ignoreIndex, labelSmoothing, out TensorHandle h);
        GC.KeepAlive(weight);
        return Tensor.Wrap(status, h);
    }

    /// <summary>Negative log-likelihood of log-probabilities [N, C] at class indices [N].</summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100)
    {
        int status = NativeMethods.du_nn_nll_loss(input.Handle, target.Handle, Tensor.PointerOrZero(weight), (int)reduction, ignoreIndex, out TensorHandle h);
        GC.KeepAlive(weight);
        return Tensor.Wrap(status, h);
    }

    /// <summary>
    /// KL(target ‖ input) with <paramref name="input"/> log-probabilities, elementwise summed by
    /// <paramref name="reduction"/> as torch.nn.functional.kl_div; <paramref name="batchMean"/> divides the
    /// sum by the batch size (PyTorch's "batchmean", the mathematically correct KL).
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false, bool batchMean = false)
    {
        if (batchMean)
        {
            using Tensor sum = Tensor.Wrap(NativeMethods.du_nn_kl_div(input.Handle, target.Handle, (int)Reduction.Sum, logTarget ? 1 : 0, out TensorHandle s), s);
            return sum.Div(input.Dim == 0 ? 1 : input.Size(0));
        }
        return Tensor.Wrap(NativeMethods.du_nn_kl_div(input.Handle, target.Handle, (int)reduction, logTarget ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(NativeMethods.du_nn_mse_loss(input.Handle, target.Handle, (int)reduction, out TensorHandle h), h);

    /// <summary>Binary cross entropy on logits, computed stably.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(NativeMethods.du_nn_binary_cross_entropy_with_logits(input.Handle, target.Handle, (int)reduction, out TensorHandle h), h);

    /// <summary>im2col: [N, C, H, W] → [N, C·k·k, L] patches, as torch.nn.functional.unfold.</summary>
    public static Tensor Unfold(Tensor input, long kernelSize, long dilation = 1, long padding = 0, long stride = 1) =>
        Tensor.Wrap(NativeMethods.du_nn_unfold(input.Handle, [kernelSize, kernelSize], [dilation, dilation], [padding, padding], [stride, stride], out TensorHandle h), h);

    /// <summary>One-hot int64 encoding of class indices.</summary>
    public static Tensor OneHot(Tensor indices, long numClasses = -1) =>
        Tensor.Wrap(NativeMethods.du_nn_one_hot(indices.Handle, numClasses, out TensorHandle h), h);

    /// <summary>Bilinear resize of [N, C, H, W] to (height, width), align_corners = false.</summary>
    public static Tensor InterpolateBilinear(Tensor input, long height, long width) =>
        Tensor.Wrap(NativeMethods.du_nn_interpolate_bilinear(input.Handle, [height, width], out TensorHandle h), h);
}
