using System.Linq;
using System.Text.Json.Nodes;
using DeepUnlearn.Engine;
using DeepUnlearn.Protocols;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class ContentKeysTests
{
    private static readonly DataDescription s_data = new("f00d", 10, 1000, 100, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

    private static readonly PrecisionPolicy s_bf16 = new(torch.ScalarType.BFloat16, false, false, "--amp bf16");

    [Fact]
    public void Oracle_KeysDifferingOnlyInPrecisionOrLayout_Differ()
    {
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe();
        ArtefactKey original = ContentKeys.Original(recipe, s_data);
        string fp32 = ContentKeys.Oracle(recipe, original, "classes:Trouser", 1, PrecisionPolicy.Off).Hash;
        string bf16 = ContentKeys.Oracle(recipe, original, "classes:Trouser", 1, s_bf16).Hash;
        string fp16 = ContentKeys.Oracle(recipe, original, "classes:Trouser", 1, new PrecisionPolicy(torch.ScalarType.Float16, true, false, "--amp fp16")).Hash;
        string channelsLast = ContentKeys.Oracle(recipe, original, "classes:Trouser", 1, PrecisionPolicy.Off with { ChannelsLast = true }).Hash;
        Assert.Equal(4, new[] { fp32, bf16, fp16, channelsLast }.Distinct().Count());
    }

    [Fact]
    public void Original_KeysDifferingOnlyInPrecision_Differ()
    {
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe();
        Assert.NotEqual(ContentKeys.Original(recipe, s_data).Hash, ContentKeys.Original(recipe, s_data, s_bf16).Hash);
    }

    [Fact]
    public void Oracle_Float32Contiguous_IsTheKeyOfEarlierVersions()
    {
        // Stores made before precision entered the keys hold float32, contiguous models: their keys must not move.
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe();
        ArtefactKey original = ContentKeys.Original(recipe, s_data, PrecisionPolicy.Off);
        ArtefactKey oracle = ContentKeys.Oracle(recipe, original, "classes:Trouser", 1, PrecisionPolicy.Off with { Reason = "auto: off on the CPU" });
        var earlier = new ArtefactKey(ArtefactKey.OracleKind, new JsonObject
        {
            ["procedure"] = "retrain/1",
            ["protocol"] = recipe.Name,
            ["scale"] = recipe.Scale,
            ["original"] = original.Hash,
            ["request"] = "classes:Trouser",
            ["seed"] = 1UL,
        });
        Assert.Equal(earlier.Hash, oracle.Hash);
        Assert.Equal(ContentKeys.Original(recipe, s_data).Hash, original.Hash);
    }
}
