using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Is the forgotten class still linearly decodable from a model's penultimate features? A logistic-regression probe
/// (<see cref="LinearProbe"/>) is trained on the frozen <see cref="ClassifierModel.Features"/> of a balanced probe
/// split of the test set (<see cref="ProbeSplit"/>) and measured on its held-out half. A method that only changes
/// the head leaves the class as decodable as in the original; a model retrained without the class shows how much of
/// it generic features carry anyway, which is the number an unlearned model should be compared with (chance, 50%,
/// only where the class shares nothing with the others).
/// </summary>
public static class RepresentationProbe
{
    /// <summary>Probes <paramref name="model"/> on the test-split samples of <paramref name="split"/>.</summary>
    public static ProbeResult Run(ClassifierModel model, VisionData data, ProbeSplit split, Device device, int workers = 0, int batchSize = 512, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        int[] ids = [.. split.TrainIds, .. split.EvalIds];
        bool[] positive = [.. split.TrainPositive, .. split.EvalPositive];
        float[] features;
        int[] featureIds;
        using (DataLoader loader = data.TestLoader(batchSize, device, ids, workers))
        {
            (features, featureIds) = Features(model, loader, cancellationToken);
        }
        // The loader may order samples its own way: map each probe id to its feature row.
        var rowOf = new Dictionary<int, int>(featureIds.Length);
        for (int r = 0; r < featureIds.Length; r++)
        {
            rowOf[featureIds[r]] = r;
        }
        bool[] rowPositive = new bool[featureIds.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            rowPositive[rowOf[ids[i]]] = positive[i];
        }
        int[] trainRows = split.TrainIds.Select(id => rowOf[id]).ToArray();
        int[] evalRows = split.EvalIds.Select(id => rowOf[id]).ToArray();
        return LinearProbe.Fit(features, (int)model.FeatureDim, rowPositive, trainRows, evalRows);
    }

    /// <summary>
    /// The penultimate features [n, D] (row-major, float32, on the host) of every sample of <paramref name="loader"/>,
    /// in evaluation mode without gradients, with the sample ids in the same order. The model's training flag is restored.
    /// </summary>
    public static (float[] Features, int[] Ids) Features(ClassifierModel model, DataLoader loader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        int dim = (int)model.FeatureDim;
        bool wasTraining = model.training;
        model.eval();
        var features = new float[checked(loader.SampleCount * dim)];
        var ids = new List<int>(loader.SampleCount);
        try
        {
            using var noGrad = torch.no_grad();
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                Tensor f = model.Features(batch.Images).to(ScalarType.Float32).cpu().contiguous();
                f.data<float>().CopyTo(features, ids.Count * dim);
                ids.AddRange(batch.Ids.Select(id => (int)id));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return (features, [.. ids]);
    }
}
