using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>log p(D | θ) = Σₙ log softmax(f_θ(xₙ))_{yₙ} of a classifier's rows, as an <see cref="IDataLikelihood"/>.</summary>
internal sealed class ClassifierDataLikelihood : IDataLikelihood
{
    private readonly IBayesianClassifier _model;
    private readonly Tensor _features;
    private readonly Tensor _labels;

    /// <summary>The rows of <paramref name="data"/> (copied to <paramref name="dtype"/> on <paramref name="device"/>) under <paramref name="model"/> (borrowed).</summary>
    public ClassifierDataLikelihood(IBayesianClassifier model, ClassificationData data, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        VariationalInference.RequireCompatible(model, data);
        _model = model;
        _features = data.FeaturesTensor(dtype, device).DetachFromDisposeScope();
        _labels = data.LabelsTensor(device).DetachFromDisposeScope();
        Count = data.Count;
    }

    /// <inheritdoc />
    public int ParameterCount => _model.ParameterCount;

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public Tensor LogLikelihood(Tensor theta, Tensor? rows = null)
    {
        ArgumentNullException.ThrowIfNull(theta);
        using var scope = torch.NewDisposeScope();
        Tensor features = rows is null ? _features : _features.index_select(0, rows);
        Tensor labels = rows is null ? _labels : _labels.index_select(0, rows);
        // Without gradients, score in chunks of rows so a large erased set fits in memory.
        Tensor result = torch.is_grad_enabled() && theta.requires_grad
            ? ClassifierLikelihood.LogLikelihood(_model, theta, features, labels)
            : ClassifierLikelihood.LogLikelihoodChunked(_model, theta, features, labels);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
    }
}
