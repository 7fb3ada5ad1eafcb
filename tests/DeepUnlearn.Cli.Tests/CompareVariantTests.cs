using System;
using DeepUnlearn.Cli.Commands;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Famr;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>Method variants in <c>compare</c>: <c>famr,famr@head</c> runs FAMR twice with different settings.</summary>
public class CompareVariantTests
{
    [Fact]
    public void ParseMethods_Variant_KeepsTheLabelInCanonicalSpelling()
    {
        Assert.Equal(["famr", "famr@head", "ssd"], CompareCommand.ParseMethods(" FAMR, famr@Head ,ssd,famr"));
    }

    [Theory]
    [InlineData("famr@", "famr@NAME")]
    [InlineData("famr@a.b", "famr@NAME")]
    [InlineData("forget@head", "unknown unlearning method 'forget'")]
    public void ParseMethods_BadVariant_SaysWhatIsValid(string methods, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CompareCommand.ParseMethods(methods));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSettings_Variant_StartsFromItsMethodsScopeThenAppliesItsOwn()
    {
        var settings = CompareCommand.ResolveSettings(
            ["famr", "famr@head"], null, ["famr.epochs=3", "famr@head.parameters=head", "famr@head.rho=0.5"]);
        var plain = Assert.IsType<FamrOptions>(settings["famr"]);
        var head = Assert.IsType<FamrOptions>(settings["famr@head"]);
        Assert.Equal(new FamrOptions { Epochs = 3 }, plain);
        Assert.Equal(new FamrOptions { Epochs = 3, Parameters = FamrParameters.Head, Rho = 0.5 }, head);
        Assert.IsAssignableFrom<IMethodOptions>(settings["retrain"]);
    }

    [Fact]
    public void ResolveSettings_UnlistedVariantScope_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => CompareCommand.ResolveSettings(["famr"], null, ["famr@head.parameters=head"]));
        Assert.Contains("unknown scope 'famr@head'", e.Message, StringComparison.Ordinal);
    }
}
