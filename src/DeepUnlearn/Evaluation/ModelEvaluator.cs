using System;
using System.Collections.Generic;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Evaluation;

/// <summary>Runs a model over a loader in evaluation mode and collects its <see cref="Predictions"/>.</summary>
public static class ModelEvaluator
{
    /// <summary>
    /// The model's softmax outputs and per-sample losses on every sample of <paramref name="loader"/>
    /// (evaluation mode, no gradients). The model's training flag is restored afterwards.
    /// </summary>
    public static Predictions Predict(ClassifierModel model, DataLoader loader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        int k = (int)model.NumClasses;
        if (loader.Dataset.NumClasses > k)
        {
            throw new ArgumentException($"the model predicts {k} classes but the dataset '{loader.Dataset.Name}' has {loader.Dataset.NumClasses}");
        }
        bool wasTraining = model.training;
        model.eval();
        var ids = new List<int>(loader.SampleCount);
        var labels = new List<int>(loader.SampleCount);
        var losses = new List<double>(loader.SampleCount);
        var probabilities = new float[(long)loader.SampleCount * k];
        int row = 0;
        try
        {
            using var noGrad = torch.no_grad();
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                Tensor logits = model.call(batch.Images);
                Tensor p = torch.nn.functional.softmax(logits, 1).to(ScalarType.Float32).cpu().contiguous();
                p.data<float>().CopyTo(probabilities, row * k);
                double[] batchLosses = torch.nn.functional.cross_entropy(logits, batch.Labels, reduction: nn.Reduction.None).to(ScalarType.Float64).cpu().data<double>().ToArray();
                long[] batchLabels = batch.Labels.cpu().data<long>().ToArray();
                for (int i = 0; i < batch.Count; i++)
                {
                    ids.Add((int)batch.Ids[i]);
                    labels.Add((int)batchLabels[i]);
                    losses.Add(batchLosses[i]);
                }
                row += batch.Count;
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new Predictions([.. ids], [.. labels], probabilities, [.. losses], k);
    }
}
