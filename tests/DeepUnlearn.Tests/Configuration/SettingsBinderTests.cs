using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Configuration;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Famr;
using Xunit;

namespace DeepUnlearn.Tests.Configuration;

public partial class SettingsBinderTests
{
    public static TheoryData<string> Methods() => new(MethodRegistry.List().Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Format_OfEveryMethodsDefaults_ParsesBackToTheSameSettings(string method)
    {
        // What `deepunlearn list methods` and the reports print must be accepted by --set as written.
        MethodEntry entry = MethodRegistry.List().Single(e => e.Name == method);
        IMethodOptions defaults = entry.Defaults();
        string line = SettingsBinder.Format(defaults);
        IMethodOptions parsed = SettingsBinder.Apply(entry.Defaults(), Pairs(line), method);
        Assert.Equal(line, SettingsBinder.Format(parsed));
    }

    [Fact]
    public void Format_ThenApply_RestoresNonDefaultValuesOfEveryKind()
    {
        // An enum, a nullable int, a nullable double and plain doubles, all away from their defaults.
        var changed = new FamrOptions
        {
            Parameters = FamrParameters.Head,
            Optimizer = OptimizerKind.Adam,
            Steps = 7,
            StopAtForgetAccuracy = 2.5,
            Rho = 0.125,
            Momentum = 0,
        };
        string line = SettingsBinder.Format(changed);
        Assert.Contains("parameters=head", line, System.StringComparison.Ordinal);
        Assert.Contains("optimizer=adam", line, System.StringComparison.Ordinal);
        Assert.Equal(changed, SettingsBinder.Apply(new FamrOptions(), Pairs(line), "famr"));
        // And an unset optional value prints as "default", which parses back to unset.
        Assert.Null(SettingsBinder.Apply(changed, Pairs(SettingsBinder.Format(new FamrOptions())), "famr").StopAtForgetAccuracy);
    }

    /// <summary>Splits "a=1, b=2,3" into its settings (list values have commas but no spaces).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Pairs(string line) =>
        line.Split(", ").Select(part => part.Split('=', 2)).Select(kv => new KeyValuePair<string, string>(kv[0], kv[1]));
}
