using System.Text.Json.Nodes;

namespace DeepUnlearn.Protocols;

/// <summary>
/// What determines an original and a retrained oracle, as content keys. The recipe's name is part of both, so
/// two protocols never share a model even when their training sections agree; the data's content fingerprint
/// (not its location) identifies the data; the scale is part of it through the training section and explicitly.
/// <c>procedure</c> names the training code's contract: bump it when a change to the trainer or to retraining
/// should invalidate stored models.
/// </summary>
public static class ContentKeys
{
    /// <summary>The key of the original model of <paramref name="recipe"/> on data <paramref name="data"/>.</summary>
    public static ArtefactKey Original(ProtocolRecipe recipe, DataDescription data)
    {
        System.ArgumentNullException.ThrowIfNull(recipe);
        System.ArgumentNullException.ThrowIfNull(data);
        return new ArtefactKey(ArtefactKey.OriginalKind, new JsonObject
        {
            ["procedure"] = "train/1",
            ["protocol"] = recipe.Name,
            ["scale"] = recipe.Scale,
            ["data"] = new JsonObject { ["name"] = recipe.Dataset.Name, ["fingerprint"] = data.Fingerprint },
            ["model"] = recipe.ModelJson(),
            ["training"] = CanonicalJson.Object(recipe.Training),
            ["train_samples"] = recipe.TrainSamples,
            ["seed"] = recipe.Original.Seed,
        });
    }

    /// <summary>
    /// The key of the oracle retrained without <paramref name="canonicalRequest"/> with <paramref name="seed"/>, from
    /// the original <paramref name="original"/> (whose key carries the data, model, training and split).
    /// </summary>
    public static ArtefactKey Oracle(ProtocolRecipe recipe, ArtefactKey original, string canonicalRequest, ulong seed)
    {
        System.ArgumentNullException.ThrowIfNull(recipe);
        System.ArgumentNullException.ThrowIfNull(original);
        return new ArtefactKey(ArtefactKey.OracleKind, new JsonObject
        {
            ["procedure"] = "retrain/1",
            ["protocol"] = recipe.Name,
            ["scale"] = recipe.Scale,
            ["original"] = original.Hash,
            ["request"] = canonicalRequest,
            ["seed"] = seed,
        });
    }
}
