using System;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

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
    protected FlatModel(long parameterCount, long inputFeatures, long classes, DType dtype, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (dtype is not (DType.Float32 or DType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "the models run in Float32 or Float64");
        }
        ParameterCount = parameterCount;
        InputFeatures = inputFeatures;
        Classes = classes;
        DType = dtype;
        Device = device;
        _parameters = TensorScope.Detach(Tensor.Zeros([parameterCount], dtype, device));
    }

    /// <summary>P, the length of the flat parameter vector.</summary>
    public long ParameterCount { get; }

    /// <summary>D, the input feature count.</summary>
    public long InputFeatures { get; }

    /// <summary>K, the number of classes.</summary>
    public long Classes { get; }

    /// <summary>Element type of the parameters (inputs are converted to it).</summary>
    public DType DType { get; }

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
    public Tensor GetParameters() => Parameters.Clone();

    /// <summary>Copies <paramref name="flat"/> (P elements, any device and floating dtype) into the parameters.</summary>
    public void SetParameters(Tensor flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (flat.NumEl != ParameterCount)
        {
            throw new ArgumentException($"got {flat.NumEl} values for the {ParameterCount} parameters of {Identity}", nameof(flat));
        }
        using var scope = TensorScope.Begin();
        using (LibTorch.NoGrad())
        {
            Parameters.CopyFrom(flat.Detach().Reshape(ParameterCount));
        }
    }

    /// <summary>Logits [N, K] at the current parameters (no autograd graph).</summary>
    public Tensor Logits(Tensor inputs)
    {
        using var scope = TensorScope.Begin();
        Tensor x = PrepareInputs(inputs);
        using (LibTorch.NoGrad())
        {
            return scope.Keep(LogitsAt(Parameters, x));
        }
    }

    /// <summary>Predicted classes [N] (int64).</summary>
    public Tensor Predict(Tensor inputs)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(Logits(inputs).ArgMax(1));
    }

    /// <summary>Mean cross entropy of the samples at the current parameters (a scalar tensor, no graph).</summary>
    public Tensor Loss(Tensor inputs, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        Tensor x = PrepareInputs(inputs);
        Tensor y = PrepareLabels(labels, x.Size(0));
        using (LibTorch.NoGrad())
        {
            return scope.Keep(Functional.CrossEntropy(LogitsAt(Parameters, x), y));
        }
    }

    /// <summary>∇_w of the mean cross entropy of the samples at the current parameters, flattened [P].</summary>
    public Tensor Gradient(Tensor inputs, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        Tensor x = PrepareInputs(inputs);
        Tensor y = PrepareLabels(labels, x.Size(0));
        if (x.Size(0) == 0)
        {
            throw new ArgumentException("the gradient of a mean over no samples is undefined", nameof(inputs));
        }
        return scope.Keep(GradientAt(Parameters, x, y));
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
        using var scope = TensorScope.Begin();
        using (LibTorch.EnableGrad())
        {
            Tensor leaf = w.Detach().RequiresGradInPlace();
            Tensor loss = Functional.CrossEntropy(LogitsAt(leaf, inputs), labels);
            Tensor[] grads = Autograd.Grad(loss, [leaf]);
            return scope.Keep(grads[0]);
        }
    }

    /// <summary>Writes PyTorch's default Linear initialisation (U(±1/√fan_in) for weight and bias) into
    /// the [out, in] weight block at <paramref name="weightOffset"/> and the bias block after it.</summary>
    protected static void InitializeLinearBlock(Tensor flatCpu, long weightOffset, long outFeatures, long inFeatures, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(flatCpu);
        using var scope = TensorScope.Begin();
        using (LibTorch.NoGrad())
        {
            Tensor weight = flatCpu.Narrow(0, weightOffset, outFeatures * inFeatures).View(outFeatures, inFeatures);
            Tensor bias = flatCpu.Narrow(0, weightOffset + (outFeatures * inFeatures), outFeatures);
            Init.DefaultLayer(weight, bias, generator);
        }
    }

    /// <summary>Copies initial values built on the CPU into the parameters.</summary>
    protected void LoadInitialParameters(Tensor flatCpu) => SetParameters(flatCpu);

    private Tensor PrepareInputs(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Dim != 2 || inputs.Size(1) != InputFeatures)
        {
            throw new ArgumentException(
                $"{Identity} takes inputs [N, {InputFeatures}], got [{string.Join(", ", inputs.ShapeArray())}]", nameof(inputs));
        }
        return inputs.DType == DType && inputs.Device == Device ? inputs : inputs.To(Device, DType);
    }

    private Tensor PrepareLabels(Tensor labels, long count)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Dim != 1 || labels.Size(0) != count)
        {
            throw new ArgumentException($"labels must be [{count}], got [{string.Join(", ", labels.ShapeArray())}]", nameof(labels));
        }
        return labels.DType == DType.Int64 && labels.Device == Device ? labels : labels.To(Device, DType.Int64);
    }
}
