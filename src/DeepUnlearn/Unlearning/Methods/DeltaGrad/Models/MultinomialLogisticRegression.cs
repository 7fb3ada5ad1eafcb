using System.Globalization;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>
/// Multinomial (softmax) logistic regression, logits = x Wᵀ + b with W [K, D] and b [K] — the convex
/// model of the DeltaGrad paper's main experiments. The flat vector is W row-major followed by b
/// (torch.nn.Linear's "weight", "bias"); the gradient is the closed form
/// ∇_W = (softmax − onehot)ᵀ x / N, ∇_b = Σ (softmax − onehot) / N.
/// </summary>
public class MultinomialLogisticRegression : FlatModel
{
    /// <summary>
    /// Creates the model with PyTorch's default Linear initialisation drawn from <paramref name="seed"/>
    /// (the same numbers on every device).
    /// </summary>
    public MultinomialLogisticRegression(long inputFeatures, long classes, DType dtype = DType.Float32, Device? device = null, ulong seed = 0)
        : base((classes * inputFeatures) + classes, inputFeatures, classes, dtype, device ?? Device.Cpu)
    {
        using var scope = TensorScope.Begin();
        using var generator = new Generator(seed);
        Tensor flat = Tensor.Zeros([ParameterCount], dtype);
        InitializeLinearBlock(flat, 0, classes, inputFeatures, generator);
        LoadInitialParameters(flat);
    }

    /// <inheritdoc />
    public override string Identity =>
        string.Create(CultureInfo.InvariantCulture, $"logistic-regression({InputFeatures}→{Classes})");

    /// <inheritdoc />
    protected override Tensor LogitsAt(Tensor w, Tensor inputs)
    {
        using var scope = TensorScope.Begin();
        var (weight, bias) = Split(w);
        return scope.Keep(Functional.Linear(inputs, weight, bias));
    }

    /// <inheritdoc />
    protected override Tensor GradientAt(Tensor w, Tensor inputs, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        using (LibTorch.NoGrad())
        {
            var (weight, bias) = Split(w);
            Tensor probabilities = Functional.Softmax(Functional.Linear(inputs, weight, bias), 1);
            Tensor residual = probabilities.Sub(Functional.OneHot(labels, Classes).To(probabilities.DType)).Div(inputs.Size(0));
            Tensor gradWeight = residual.T().Mm(inputs);
            Tensor gradBias = residual.Sum(0);
            return scope.Keep(Tensor.Cat([gradWeight.Flatten(), gradBias]));
        }
    }

    private (Tensor Weight, Tensor Bias) Split(Tensor w)
    {
        long weightCount = Classes * InputFeatures;
        return (w.Narrow(0, 0, weightCount).View(Classes, InputFeatures), w.Narrow(0, weightCount, Classes));
    }
}
