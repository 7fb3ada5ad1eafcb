using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// The representation probe (<see cref="RepresentationProbe"/>) at several depths: the same logistic-regression probe on
/// the output of each chosen layer, on the same balanced split, so one sees where in the network the forgotten class
/// stops being decodable (a head-only method: nowhere; retraining: the reference at every depth). A convolutional
/// output [N, C, H, W] is averaged over space to [N, C] (the usual global-average-pooled probe, which keeps the probe
/// small); other outputs are flattened.
/// </summary>
public static class LayerProbe
{
    /// <summary>The option value that picks the layers: every top-level submodule that holds a convolution or linear weight, the head excluded.</summary>
    public const string Auto = "auto";

    /// <summary>The layers <see cref="Auto"/> picks in <paramref name="model"/>, in registration order.</summary>
    public static IReadOnlyList<string> AutoLayers(ClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_children()
            .Where(c => c.name != model.HeadName && c.module is nn.Module<Tensor, Tensor>)
            .Where(c => c.module.named_parameters().Any(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() >= 2))
            .Select(c => c.name)
            .ToArray();
    }

    /// <summary>
    /// Probes the outputs of <paramref name="layers"/> (or <see cref="AutoLayers"/> for <c>["auto"]</c>) on the test-split
    /// samples of <paramref name="split"/>; one result per layer, in the given order.
    /// </summary>
    public static IReadOnlyList<LayerProbeResult> Run(ClassifierModel model, VisionData data, ProbeSplit split, IReadOnlyList<string> layers, Device device, int workers = 0, int batchSize = 512, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(layers);
        IReadOnlyList<string> names = layers.Count == 1 && layers[0] == Auto ? AutoLayers(model) : layers;
        int[] ids = [.. split.TrainIds, .. split.EvalIds];
        var rows = names.ToDictionary(n => n, _ => new List<float[]>(), StringComparer.Ordinal);
        var dims = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<int>(ids.Length);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using ForwardCapture capture = ForwardCapture.Attach(model, names, (name, _, output) =>
            {
                using var scope = torch.NewDisposeScope();
                Tensor f = output.dim() == 4 ? output.mean([2, 3]) : output.flatten(1);
                f = f.to(ScalarType.Float32).cpu().contiguous();
                int dim = (int)f.shape[1];
                dims[name] = dim;
                float[] all = f.data<float>().ToArray();
                for (int r = 0; r < (int)f.shape[0]; r++)
                {
                    rows[name].Add(all.AsSpan(r * dim, dim).ToArray());
                }
            });
            using var noGrad = torch.no_grad();
            using DataLoader loader = data.TestLoader(batchSize, device, ids, workers);
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                model.call(batch.Images);
                order.AddRange(batch.Ids.Select(id => (int)id));
            }
            capture.EnsureAllFired();
        }
        finally
        {
            model.train(wasTraining);
        }
        var rowOf = new Dictionary<int, int>(order.Count);
        for (int r = 0; r < order.Count; r++)
        {
            rowOf[order[r]] = r;
        }
        bool[] positive = new bool[order.Count];
        foreach (var (id, isPositive) in split.TrainIds.Zip(split.TrainPositive).Concat(split.EvalIds.Zip(split.EvalPositive)))
        {
            positive[rowOf[id]] = isPositive;
        }
        int[] trainRows = split.TrainIds.Select(id => rowOf[id]).ToArray();
        int[] evalRows = split.EvalIds.Select(id => rowOf[id]).ToArray();
        return names.Select(n => new LayerProbeResult(n, LinearProbe.Fit(rows[n].SelectMany(r => r).ToArray(), dims[n], positive, trainRows, evalRows))).ToArray();
    }
}
