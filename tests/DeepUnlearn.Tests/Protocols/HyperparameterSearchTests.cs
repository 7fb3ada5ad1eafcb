using System.Collections.Generic;
using DeepUnlearn.Protocols;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class HyperparameterSearchTests
{
    private static readonly RecipeMethod s_famr = new("famr", new Dictionary<string, string>(),
        [new GridAxis("rho", ["2", "0.5", "1"]), new GridAxis("learning_rate", ["0.01"]), new GridAxis("parameters", ["all", "head"])], null);

    private static Dictionary<string, string> Point(string rho) => new() { ["rho"] = rho, ["learning_rate"] = "0.01", ["parameters"] = "all" };

    [Theory]
    [InlineData("2", "largest", "above")]
    [InlineData("0.5", "smallest", "below")]
    public void EdgeWarnings_ChoiceAtAnEndOfANumericAxis_SaysWhichEndAndListsTheGrid(string rho, string end, string side)
    {
        // The grid's order in the file is not its numeric order: 2 is the largest value although it is listed first.
        string warning = Assert.Single(HyperparameterSearch.EdgeWarnings(s_famr, Point(rho)));
        Assert.Equal($"famr: rho = {rho} is the {end} value of its grid [2, 0.5, 1]; the best setting may lie {side} it (widen the grid)", warning);
    }

    [Fact]
    public void EdgeWarnings_InteriorChoiceSingleValueAxisAndNonNumericAxis_AreNotWarnedAbout()
    {
        Assert.Empty(HyperparameterSearch.EdgeWarnings(s_famr, Point("1")));
    }
}
