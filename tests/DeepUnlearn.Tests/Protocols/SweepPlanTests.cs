using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Protocols;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class SweepPlanTests
{
    [Fact]
    public void Create_ExpandsMethodsRequestsSeedsAndGrid()
    {
        // 3 seeds, 2 validation seeds, famr searched over 2 values of rho, finetune fixed.
        SweepPlan plan = SweepPlan.Create(ProtocolTestRecipes.Recipe(seeds: 3, gridPoints: 2));
        // Validation: per validation seed, retrain + 2 grid points of famr = 2 × 3.
        Assert.Equal(6, plan.Validation.Count);
        Assert.All(plan.Validation, c => Assert.Equal("val-pullover", c.RequestId));
        Assert.Equal(2, plan.Validation.Count(c => c.IsRetrain));
        Assert.Equal(4, plan.Validation.Count(c => c.Method == "famr" && c.GridIndex is not null));
        // Report: per seed, retrain + famr + finetune = 3 × 3; no grid point is ever run on the reported request.
        Assert.Equal(9, plan.Report.Count);
        Assert.All(plan.Report, c => Assert.Equal("trouser", c.RequestId));
        Assert.All(plan.Report, c => Assert.Null(c.GridIndex));
        Assert.Equal(plan.All.Count(), plan.All.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Create_WithoutGrid_HasNoValidationStage()
    {
        SweepPlan plan = SweepPlan.Create(ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 0));
        Assert.Empty(plan.Validation);
        Assert.Equal(6, plan.Report.Count);
    }

    [Fact]
    public void CellId_DependsOnlyOnTheCellsContent()
    {
        var point = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["rho"] = "0.5", ["learning_rate"] = "0.01" };
        var reordered = new Dictionary<string, string> { ["learning_rate"] = "0.01", ["rho"] = "0.5" };
        Assert.Equal(SweepPlan.CellId("famr", "val", 3, point), SweepPlan.CellId("famr", "val", 3, reordered));
        Assert.StartsWith("famr.val.s3.g", SweepPlan.CellId("famr", "val", 3, point), StringComparison.Ordinal);
        Assert.NotEqual(SweepPlan.CellId("famr", "val", 3, point), SweepPlan.CellId("famr", "val", 3, new Dictionary<string, string> { ["rho"] = "1" }));
        Assert.Equal("salun.random-10.s7", SweepPlan.CellId("salun", "random-10", 7, null));
        // The same recipe planned twice gives the same ids in the same order (what every shard relies on).
        Assert.Equal(
            SweepPlan.Create(ProtocolTestRecipes.Recipe()).All.Select(c => c.Id),
            SweepPlan.Create(ProtocolTestRecipes.Recipe()).All.Select(c => c.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(16)]
    public void Shards_CoverEveryCellExactlyOnce_Balanced(int count)
    {
        SweepPlan plan = SweepPlan.Create(ProtocolTestRecipes.Recipe(seeds: 5, gridPoints: 3));
        foreach (IReadOnlyList<Cell> stage in new[] { plan.Validation, plan.Report })
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var sizes = new List<int>();
            for (int i = 0; i < count; i++)
            {
                IReadOnlyList<Cell> mine = new Shard(i, count).Select(stage.Reverse());
                sizes.Add(mine.Count);
                foreach (Cell cell in mine)
                {
                    seen[cell.Id] = seen.GetValueOrDefault(cell.Id) + 1;
                }
            }
            Assert.Equal(stage.Select(c => c.Id).Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
            Assert.All(seen.Values, n => Assert.Equal(1, n));
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"shard sizes {string.Join(",", sizes)}");
        }
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void ShardParse_Valid(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    public void ShardParse_Invalid_SaysTheForm(string text)
    {
        var e = Assert.Throws<FormatException>(() => Shard.Parse(text));
        Assert.Contains("i/n with 0 <= i < n", e.Message, StringComparison.Ordinal);
    }
}
