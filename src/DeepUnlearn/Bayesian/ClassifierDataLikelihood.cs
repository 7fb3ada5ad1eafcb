using System;
using DeepUnlearn.Torch;

namespace DeepUnlearn.Bayesian;

/// <summary>log p(D | θ) = Σₙ log softmax(f_θ(xₙ))_{yₙ} of a classifier's rows, as an <see cref="IDataLikelihood"/>.</summary>
internal sealed class ClassifierDataLikelihood : IDataLikelihood
{
    private readonly IBayesianClassifier _model;
    private readonly Tensor _features;
    private readonly Tensor _labels;

    /// <summary>The rows of <paramref name="data"/> (copied to <paramref name="dtype"/> on <paramref name="device"/>) under <paramref name="model"/> (borrowed).</summary>
    public ClassifierDataLikelihood(IBayesianClassifier model, ClassificationData data, DType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        VariationalInference.RequireCompatible(model, data);
        _model = model;
        _features = TensorScope.Detach(data.FeaturesTensor(dtype, device));
        _labels = TensorScope.Detach(data.LabelsTensor(device));
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
        using var scope = TensorScope.Begin();
        Tensor features = rows is null ? _features : _features.IndexSelect(0, rows);
        Tensor labels = rows is null ? _labels : _labels.IndexSelect(0, rows);
        // Without gradients, score in chunks of rows so a large erased set fits in memory.
        return scope.Keep(LibTorch.IsGradEnabled && theta.RequiresGrad
            ? ClassifierLikelihood.LogLikelihood(_model, theta, features, labels)
            : ClassifierLikelihood.LogLikelihoodChunked(_model, theta, features, labels));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
    }
}
