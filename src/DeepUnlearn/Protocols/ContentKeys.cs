using System.Text.Json.Nodes;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Protocols;

/// <summary>
/// What determines an original and a retrained oracle, as content keys. The recipe's name is part of both, so
/// two protocols never share a model even when their training sections agree; the data's content fingerprint
/// (not its location) identifies the data; the scale is part of it through the training section and explicitly.
/// <c>procedure</c> names the training code's contract: bump it when a change to the trainer or to retraining
/// should invalidate stored models. The precision and memory layout a model was trained with (<see cref="PrecisionPolicy"/>:
/// bf16/fp16 autocast, channels-last) are part of both keys, so a bf16 retrain never serves a float32 request; float32
/// with the contiguous layout adds nothing to a key, so the keys of stores made before precision existed stay valid.
/// </summary>
public static class ContentKeys
{
    /// <summary>The key of the original model of <paramref name="recipe"/> on data <paramref name="data"/>.</summary>
    /// <param name="recipe">The protocol.</param>
    /// <param name="data">The data's content fingerprint.</param>
    /// <param name="precision">The precision and layout of the training (float32, contiguous when null).</param>
    public static ArtefactKey Original(ProtocolRecipe recipe, DataDescription data, PrecisionPolicy? precision = null)
    {
        System.ArgumentNullException.ThrowIfNull(recipe);
        System.ArgumentNullException.ThrowIfNull(data);
        return new ArtefactKey(ArtefactKey.OriginalKind, WithPrecision(new JsonObject
        {
            ["procedure"] = "train/1",
            ["protocol"] = recipe.Name,
            ["scale"] = recipe.Scale,
            ["data"] = new JsonObject { ["name"] = recipe.Dataset.Name, ["fingerprint"] = data.Fingerprint },
            ["model"] = recipe.ModelJson(),
            ["training"] = CanonicalJson.Object(recipe.Training),
            ["train_samples"] = recipe.TrainSamples,
            ["seed"] = recipe.Original.Seed,
        }, precision));
    }

    /// <summary>
    /// The key of the oracle retrained without <paramref name="canonicalRequest"/> with <paramref name="seed"/>, from
    /// the original <paramref name="original"/> (whose key carries the data, model, training and split).
    /// </summary>
    /// <param name="recipe">The protocol.</param>
    /// <param name="original">The original's key.</param>
    /// <param name="canonicalRequest">The deletion request, canonical form.</param>
    /// <param name="seed">The retraining seed.</param>
    /// <param name="precision">The precision and layout of the retraining (float32, contiguous when null).</param>
    public static ArtefactKey Oracle(ProtocolRecipe recipe, ArtefactKey original, string canonicalRequest, ulong seed, PrecisionPolicy? precision = null)
    {
        System.ArgumentNullException.ThrowIfNull(recipe);
        System.ArgumentNullException.ThrowIfNull(original);
        return new ArtefactKey(ArtefactKey.OracleKind, WithPrecision(new JsonObject
        {
            ["procedure"] = "retrain/1",
            ["protocol"] = recipe.Name,
            ["scale"] = recipe.Scale,
            ["original"] = original.Hash,
            ["request"] = canonicalRequest,
            ["seed"] = seed,
        }, precision));
    }

    // The resolved policy, not the option: "auto" is float32 on the CPU and bf16 or fp16 on a GPU. Its reason text is
    // left out (it does not change the computation).
    private static JsonObject WithPrecision(JsonObject key, PrecisionPolicy? precision)
    {
        if (precision is not null && !precision.IsOff)
        {
            key["precision"] = new JsonObject { ["amp"] = precision.AmpName, ["channels_last"] = precision.ChannelsLast };
        }
        return key;
    }
}
