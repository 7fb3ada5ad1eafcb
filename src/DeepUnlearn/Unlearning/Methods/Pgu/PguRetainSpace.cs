using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// PGU's stored representation of the data a model still holds: for every projected layer l, R_l = Σ x·xᵀ over the
/// layer's input vectors x (<see cref="PguLayer.InputRows"/>) of every training sample not yet removed. The paper
/// computes R_D once after training so that unlearning needs only D_f (WACV 2024, §3: "even when the training
/// dataset is no longer accessible"); a request subtracts its forget sum, R_r = R_D − R_f, and a later request
/// starts from R_r: the recursive update of sequential requests.
/// <para>
/// The file is a safetensors sidecar beside its checkpoint (<see cref="PathFor"/>, <c>model.pgu.safetensors</c>), written
/// atomically: one float64 tensor <c>representation.&lt;layer&gt;</c> per layer (the full matrix, not a truncated basis,
/// so that subtractions stay exact), <c>removed_ids</c> (int32), and JSON metadata under <see cref="MetadataKey"/>
/// naming the weights it belongs to (<see cref="Fingerprint"/>, SHA-256 of the state dict), the dataset, the
/// protocol of the sums (<see cref="PguCovarianceProtocol"/>) and the sample counts.
/// </para>
/// <para>
/// When a recursive update is exact: the sum over D \ (F₁ ∪ F₂) is R_D − R_F₁ − R_F₂ for any disjoint F₁, F₂ when
/// every sum uses the same per-sample inputs (same weights, same seeded augmentation draw). After a first request the
/// weights have changed, and the second request's forget sum is taken under the new weights; it equals the sum under
/// the old ones when the first update left the layer inputs of F₂ unchanged, which PGU guarantees for the directions
/// it protects: exactly when the retained energy keeps every direction the retain inputs occupy, approximately (the
/// discarded share 1 − ε of Σσ) otherwise.
/// </para>
/// </summary>
public sealed class PguRetainSpace : ICheckpointSidecar
{
    /// <summary>The safetensors metadata key of the JSON description.</summary>
    public const string MetadataKey = "deepunlearn.pgu_retain_space";

    /// <summary>The file name suffix of the sidecar.</summary>
    public const string FileSuffix = ".pgu.safetensors";

    private const string TensorPrefix = "representation.";
    private const string RemovedIdsTensor = "removed_ids";
    private const int CurrentFormat = 1;

    private readonly Tensor[] _representations;
    private bool _disposed;

    /// <summary>
    /// A retain space over the layers <paramref name="layers"/> (names and input sizes) with one [Inputs, Inputs]
    /// float64 matrix per layer (ownership passes to the retain space).
    /// </summary>
    public PguRetainSpace(IReadOnlyList<string> layers, Tensor[] representations, string modelFingerprint, string dataset, int trainingSamples, IReadOnlyList<int> removedIds, PguCovarianceProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(representations);
        ArgumentException.ThrowIfNullOrEmpty(modelFingerprint);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(removedIds);
        ArgumentNullException.ThrowIfNull(protocol);
        if (layers.Count != representations.Length)
        {
            throw new ArgumentException($"{layers.Count} layer names but {representations.Length} matrices", nameof(representations));
        }
        for (int l = 0; l < representations.Length; l++)
        {
            Tensor r = representations[l];
            if (r.dim() != 2 || r.size(0) != r.size(1) || r.dtype != ScalarType.Float64)
            {
                throw new ArgumentException($"the representation of {layers[l]} must be a square float64 matrix, got {r.dtype} [{string.Join(", ", r.shape)}]", nameof(representations));
            }
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(trainingSamples, removedIds.Count);
        Layers = layers.ToArray();
        _representations = representations;
        ModelFingerprint = modelFingerprint;
        Dataset = dataset;
        TrainingSamples = trainingSamples;
        RemovedIds = removedIds.Order().ToArray();
        Protocol = protocol;
    }

    /// <summary>The projected layers' names, in module order.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>R_l per layer (float64, owned by the retain space).</summary>
    public IReadOnlyList<Tensor> Representations => _representations;

    /// <summary>The <see cref="Fingerprint"/> of the weights whose layer inputs the sums hold.</summary>
    public string ModelFingerprint { get; }

    /// <summary>The dataset specification the ids refer to.</summary>
    public string Dataset { get; }

    /// <summary>|D|: the training samples the space was first built over.</summary>
    public int TrainingSamples { get; }

    /// <summary>Ids removed by earlier requests (sorted); the sums hold the other <see cref="Samples"/> samples.</summary>
    public IReadOnlyList<int> RemovedIds { get; }

    /// <summary>Samples whose inputs the sums hold: |D| minus the removed ids.</summary>
    public int Samples => TrainingSamples - RemovedIds.Count;

    /// <summary>How the sums were computed; forget passes against this space repeat it.</summary>
    public PguCovarianceProtocol Protocol { get; }

    /// <summary>The sidecar of the checkpoint <paramref name="checkpointPath"/>: <c>dir/name.pgu.safetensors</c> for <c>dir/name.safetensors</c>.</summary>
    public static string PathFor(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        string directory = Path.GetDirectoryName(checkpointPath) ?? string.Empty;
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(checkpointPath) + FileSuffix);
    }

    /// <summary>
    /// SHA-256 (hex) of <paramref name="model"/>'s state dict: every parameter and buffer's name, dtype, shape and
    /// bytes, in state-dict order. Equal for a model and its checkpoint reloaded; different after any weight change.
    /// </summary>
    public static string Fingerprint(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            string head = string.Create(CultureInfo.InvariantCulture, $"{name}|{tensor.dtype}|{string.Join(",", tensor.shape)}|");
            hash.AppendData(Encoding.UTF8.GetBytes(head));
            // Row-major bytes on the host, one tensor at a time (the scope frees the copy, never the model's tensor).
            using var scope = torch.NewDisposeScope();
            hash.AppendData(tensor.detach().cpu().contiguous().bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// R_D of <paramref name="model"/> over every training sample of <paramref name="data"/> (its training split), as
    /// <paramref name="protocol"/> says: what to store with a freshly trained model so that later requests need only
    /// D_f. <paramref name="progress"/> receives (batches done, batches).
    /// </summary>
    public static PguRetainSpace Compute(nn.Module<Tensor, Tensor> model, VisionData data, PguCovarianceProtocol protocol, Device device, int workers = 2, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(protocol);
        IReadOnlyList<PguLayer> layers = PguLayer.Find(model);
        if (layers.Count == 0)
        {
            throw new ArgumentException($"{model.GetType().Name} has no convolution or linear layer for PGU to project", nameof(model));
        }
        int[] ids = data.Split.Train;
        Tensor[] sums = PguCovarianceAccumulator.Collect(model, layers, data, ids, protocol, device, workers, progress, cancellationToken);
        return new PguRetainSpace(layers.Select(l => l.Name).ToArray(), sums, Fingerprint(model), data.Specification, ids.Length, [], protocol);
    }

    /// <summary>
    /// A copy of this space with the sums of the samples <paramref name="forgetIds"/> (not removed before) taken out:
    /// R_r = R − R_f, keyed to <paramref name="modelFingerprint"/>, the weights the result belongs to.
    /// <paramref name="forgetSums"/> are the forget sums per layer (not disposed).
    /// </summary>
    public PguRetainSpace Without(IReadOnlyList<int> forgetIds, IReadOnlyList<Tensor> forgetSums, string modelFingerprint)
    {
        ArgumentNullException.ThrowIfNull(forgetIds);
        ArgumentNullException.ThrowIfNull(forgetSums);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (forgetSums.Count != _representations.Length)
        {
            throw new ArgumentException($"{forgetSums.Count} forget sums for {_representations.Length} layers", nameof(forgetSums));
        }
        var removed = new HashSet<int>(RemovedIds);
        int added = forgetIds.Count(removed.Add);
        if (added != forgetIds.Distinct().Count())
        {
            throw new ArgumentException("forgetIds contains ids already removed; subtract only the new ones", nameof(forgetIds));
        }
        var result = new Tensor[_representations.Length];
        try
        {
            using var noGrad = torch.no_grad();
            for (int l = 0; l < result.Length; l++)
            {
                using var scope = torch.NewDisposeScope();
                result[l] = (_representations[l].sub(forgetSums[l].to(ScalarType.Float64))).DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (Tensor? t in result)
            {
                t?.Dispose();
            }
            throw;
        }
        return new PguRetainSpace(Layers, result, modelFingerprint, Dataset, TrainingSamples, removed.ToArray(), Protocol);
    }

    /// <summary>Writes the sidecar to <paramref name="path"/> atomically (temp file + rename).</summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var description = new Description
        {
            FormatVersion = CurrentFormat,
            ModelFingerprint = ModelFingerprint,
            Dataset = Dataset,
            TrainingSamples = TrainingSamples,
            Samples = Samples,
            Layers = Layers.ToArray(),
            Protocol = Protocol,
            DeepUnlearnVersion = ToolkitInfo.Version,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        using Tensor removed = torch.tensor(RemovedIds.ToArray(), [RemovedIds.Count], ScalarType.Int32).DetachFromDisposeScope();
        var tensors = Layers.Select((name, l) => new KeyValuePair<string, Tensor>(TensorPrefix + name, _representations[l]))
            .Append(new(RemovedIdsTensor, removed));
        SafeTensors.Save(path, tensors, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetadataKey] = JsonSerializer.Serialize(description, JsonFile.Options),
        });
    }

    /// <inheritdoc />
    public string SaveBeside(string checkpointPath)
    {
        string path = PathFor(checkpointPath);
        Save(path);
        return path;
    }

    /// <summary>Reads a sidecar written by <see cref="Save"/> onto <paramref name="device"/> (CPU by default).</summary>
    /// <exception cref="InvalidDataException">The file is not a PGU retain space or is inconsistent.</exception>
    public static PguRetainSpace Load(string path, Device? device = null)
    {
        using SafeTensorsFile file = SafeTensors.Load(path, device);
        if (!file.Metadata.TryGetValue(MetadataKey, out string? json))
        {
            throw new InvalidDataException($"'{path}' is a safetensors file without PGU retain-space metadata ('{MetadataKey}')");
        }
        Description description;
        try
        {
            description = JsonSerializer.Deserialize<Description>(json, JsonFile.Options)
                ?? throw new InvalidDataException($"'{path}': PGU retain-space metadata is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': PGU retain-space metadata is not valid JSON: {e.Message}", e);
        }
        if (description.FormatVersion != CurrentFormat)
        {
            throw new InvalidDataException($"'{path}' is PGU retain-space format {description.FormatVersion}; this version reads format {CurrentFormat}");
        }
        int[] removed = file.Tensors.TryGetValue(RemovedIdsTensor, out Tensor? ids) ? ids.data<int>().ToArray() : [];
        if (description.TrainingSamples - removed.Length != description.Samples)
        {
            throw new InvalidDataException($"'{path}': {description.TrainingSamples} training samples minus {removed.Length} removed is not the {description.Samples} samples it records");
        }
        var matrices = new List<Tensor>();
        try
        {
            foreach (string layer in description.Layers)
            {
                if (!file.Tensors.ContainsKey(TensorPrefix + layer))
                {
                    throw new InvalidDataException($"'{path}' lists layer '{layer}' but holds no tensor '{TensorPrefix + layer}'");
                }
                matrices.Add(file.Take(TensorPrefix + layer));
            }
            return new PguRetainSpace(description.Layers, [.. matrices], description.ModelFingerprint, description.Dataset, description.TrainingSamples, removed, description.Protocol);
        }
        catch (ArgumentException e)
        {
            foreach (Tensor m in matrices)
            {
                m.Dispose();
            }
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
        catch
        {
            foreach (Tensor m in matrices)
            {
                m.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// Why this space cannot serve a request on the weights <paramref name="fingerprint"/> with the projected
    /// <paramref name="layers"/> over <paramref name="dataset"/> whose training ids number <paramref name="trainingSamples"/>
    /// (counting ids removed earlier); null when it can.
    /// </summary>
    public string? Mismatch(string fingerprint, IReadOnlyList<PguLayer> layers, string dataset, int trainingSamples)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (!string.Equals(fingerprint, ModelFingerprint, StringComparison.Ordinal))
        {
            return $"it belongs to other weights (state-dict fingerprint {Short(ModelFingerprint)}, the model's is {Short(fingerprint)})";
        }
        if (!string.Equals(dataset, Dataset, StringComparison.Ordinal))
        {
            return $"it was built on '{Dataset}', the request is on '{dataset}'";
        }
        if (trainingSamples != TrainingSamples)
        {
            return $"it was built over {TrainingSamples} training samples, the request's training split has {trainingSamples}";
        }
        if (layers.Count != Layers.Count || layers.Where((l, i) => l.Name != Layers[i] || l.Inputs != _representations[i].size(0)).Any())
        {
            return "its layers are not the model's";
        }
        return null;
    }

    private static string Short(string fingerprint) => fingerprint.Length <= 12 ? fingerprint : fingerprint[..12] + "…";

    /// <summary>Releases the matrices.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Tensor t in _representations)
        {
            t.Dispose();
        }
    }

    private sealed record Description
    {
        public int FormatVersion { get; init; }

        public string ModelFingerprint { get; init; } = string.Empty;

        public string Dataset { get; init; } = string.Empty;

        public int TrainingSamples { get; init; }

        public int Samples { get; init; }

        public string[] Layers { get; init; } = [];

        public PguCovarianceProtocol Protocol { get; init; } = new();

        public string DeepUnlearnVersion { get; init; } = string.Empty;

        public DateTimeOffset CreatedUtc { get; init; }
    }
}
