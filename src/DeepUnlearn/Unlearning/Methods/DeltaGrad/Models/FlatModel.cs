using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>
/// A classifier whose parameters are one flat vector w ∈ ℝ^P, the form DeltaGrad works in: the
/// trajectory stores w_t and g_t flattened, and the L-BFGS Hessian estimate acts on ℝ^P. The loss is the
/// mean cross entropy of the logits; the L2 regulariser is not part of it (the trainer adds λ w).
/// The model owns its parameter vector.
/// </summary>
public abstract class FlatModel : IDisposable
{
    private readonly Tensor _parameters;
    private bool _disposed;

    /// <summary>Creates the model with a zero parameter vector of <paramref name="parameterCount"/> elements.</summary>
    protected FlatModel(long parameterCount, long inputFeatures, long classes, ScalarType dtype, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "the models run in Float32 or Float64");
        }
        ParameterCount = parameterCount;
        InputFeatures = inputFeatures;
        Classes = classes;
        ScalarType = dtype;
        Device = device;
        _parameters = torch.zeros([parameterCount], dtype, device).DetachFromDisposeScope();
    }

    /// <summary>P, the length of the flat parameter vector.</summary>
    public long ParameterCount { get; }

    /// <summary>D, the input feature count.</summary>
    public long InputFeatures { get; }

    /// <summary>K, the number of classes.</summary>
    public long Classes { get; }

    /// <summary>Element type of the parameters (inputs are converted to it).</summary>
    public ScalarType ScalarType { get; }

    /// <summary>Device of the parameters (inputs are moved to it).</summary>
    public Device Device { get; }

    /// <summary>Architecture and shape, e.g. <c>logistic-regression(784→10)</c>; trajectories record it.</summary>
    public abstract string Identity { get; }

    /// <summary>The parameter vector itself (borrowed: the model owns it; do not dispose).</summary>
    public Tensor Parameters
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _parameters;
        }
    }

    /// <summary>A copy of the flat parameter vector.</summary>
    public Tensor GetParameters() => Parameters.clone();

    /// <summary>Copies <paramref name="flat"/> (P elements, any device and floating dtype) into the parameters.</summary>
    public void SetParameters(Tensor flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (flat.numel() != ParameterCount)
        {
            throw new ArgumentException($"got {flat.numel()} values for the {ParameterCount} parameters of {Identity}", nameof(flat));
        }
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            Parameters.copy_(flat.detach().reshape(ParameterCount));
        }
    }

    /// <summary>Logits [N, K] at the current parameters (no autograd graph).</summary>
    public Tensor Logits(Tensor inputs)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = PrepareInputs(inputs);
        using (torch.no_grad())
        {
            return LogitsAt(Parameters, x).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Predicted classes [N] (int64).</summary>
    public Tensor Predict(Tensor inputs)
    {
        using var scope = torch.NewDisposeScope();
        return Logits(inputs).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Mean cross entropy of the samples at the current parameters (a scalar tensor, no graph).</summary>
    public Tensor Loss(Tensor inputs, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = PrepareInputs(inputs);
        Tensor y = PrepareLabels(labels, x.size(0));
        using (torch.no_grad())
        {
            return (torch.nn.functional.cross_entropy(LogitsAt(Parameters, x), y)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>∇_w of the mean cross entropy of the samples at the current parameters, flattened [P].</summary>
    public Tensor Gradient(Tensor inputs, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = PrepareInputs(inputs);
        Tensor y = PrepareLabels(labels, x.size(0));
        if (x.size(0) == 0)
        {
            throw new ArgumentException("the gradient of a mean over no samples is undefined", nameof(inputs));
        }
        return GradientAt(Parameters, x, y).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the parameter vector.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _parameters.Dispose();
        }
    }

    /// <summary>Logits [N, K] at the flat parameters <paramref name="w"/>, differentiable in <paramref name="w"/>.</summary>
    protected abstract Tensor LogitsAt(Tensor w, Tensor inputs);

    /// <summary>
    /// ∇_w of the mean cross entropy at <paramref name="w"/>; by default by autograd through
    /// <see cref="LogitsAt"/>, overridden where a closed form is cheaper.
    /// </summary>
    protected virtual Tensor GradientAt(Tensor w, Tensor inputs, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        using (torch.enable_grad())
        {
            Tensor leaf = w.detach().requires_grad_();
            Tensor loss = torch.nn.functional.cross_entropy(LogitsAt(leaf, inputs), labels);
            IList<Tensor> grads = torch.autograd.grad([loss], [leaf]);
            return grads[0].MoveToOuterDisposeScope();
        }
    }

    /// <summary>Writes PyTorch's default Linear initialisation (U(±1/√fan_in) for weight and bias) into
    /// the [out, in] weight block at <paramref name="weightOffset"/> and the bias block after it.</summary>
    protected static void InitializeLinearBlock(Tensor flatCpu, long weightOffset, long outFeatures, long inFeatures, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(flatCpu);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            Tensor weight = flatCpu.narrow(0, weightOffset, outFeatures * inFeatures).view(outFeatures, inFeatures);
            Tensor bias = flatCpu.narrow(0, weightOffset + (outFeatures * inFeatures), outFeatures);
            // PyTorch's reset_parameters: weight kaiming_uniform(a = √5), bound = gain·√(3 / fan_in) with
            // gain = √(2 / (1 + a²)) (i.e. ≈ 1/√fan_in), then bias U(±1/√fan_in). The bounds are computed as the
            // retired binding's Init.DefaultLayer did, so the seeded initial weights stay bit for bit the same.
            double a = Math.Sqrt(5);
            double weightBound = Math.Sqrt(2.0 / (1 + (a * a))) * Math.Sqrt(3.0 / inFeatures);
            weight.uniform_(-weightBound, weightBound, generator);
            double biasBound = 1 / Math.Sqrt(inFeatures);
            bias.uniform_(-biasBound, biasBound, generator);
        }
    }

    /// <summary>Copies initial values built on the CPU into the parameters.</summary>
    protected void LoadInitialParameters(Tensor flatCpu) => SetParameters(flatCpu);

    private Tensor PrepareInputs(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 2 || inputs.size(1) != InputFeatures)
        {
            throw new ArgumentException(
                $"{Identity} takes inputs [N, {InputFeatures}], got [{string.Join(", ", inputs.shape)}]", nameof(inputs));
        }
        return inputs.dtype == ScalarType && OnDevice(inputs) ? inputs : inputs.to(ScalarType, Device);
    }

    private Tensor PrepareLabels(Tensor labels, long count)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() != 1 || labels.size(0) != count)
        {
            throw new ArgumentException($"labels must be [{count}], got [{string.Join(", ", labels.shape)}]", nameof(labels));
        }
        return labels.dtype == ScalarType.Int64 && OnDevice(labels) ? labels : labels.to(ScalarType.Int64, Device);
    }

    // TorchSharp's Device has no value equality: compare the type and (when the model's device names one) the index.
    private bool OnDevice(Tensor tensor) =>
        tensor.device_type == Device.type && (Device.index < 0 || tensor.device_index == Device.index);
}
