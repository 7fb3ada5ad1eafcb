using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

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
    public MultinomialLogisticRegression(long inputFeatures, long classes, ScalarType dtype = ScalarType.Float32, Device? device = null, ulong seed = 0)
        : base((classes * inputFeatures) + classes, inputFeatures, classes, dtype, device ?? torch.CPU)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(seed);
        Tensor flat = torch.zeros([ParameterCount], dtype);
        InitializeLinearBlock(flat, 0, classes, inputFeatures, generator);
        LoadInitialParameters(flat);
    }

    /// <inheritdoc />
    public override string Identity =>
        string.Create(CultureInfo.InvariantCulture, $"logistic-regression({InputFeatures}→{Classes})");

    /// <inheritdoc />
    protected override Tensor LogitsAt(Tensor w, Tensor inputs)
    {
        using var scope = torch.NewDisposeScope();
        var (weight, bias) = Split(w);
        return torch.nn.functional.linear(inputs, weight, bias).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor GradientAt(Tensor w, Tensor inputs, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            var (weight, bias) = Split(w);
            Tensor probabilities = torch.nn.functional.softmax(torch.nn.functional.linear(inputs, weight, bias), 1);
            Tensor residual = probabilities.sub(torch.nn.functional.one_hot(labels, Classes).to(probabilities.dtype)).div(inputs.size(0));
            Tensor gradWeight = residual.t().mm(inputs);
            Tensor gradBias = residual.sum(dim: 0);
            return (torch.cat([gradWeight.flatten(), gradBias])).MoveToOuterDisposeScope();
        }
    }

    private (Tensor Weight, Tensor Bias) Split(Tensor w)
    {
        long weightCount = Classes * InputFeatures;
        return (w.narrow(0, 0, weightCount).view(Classes, InputFeatures), w.narrow(0, weightCount, Classes));
    }
}
