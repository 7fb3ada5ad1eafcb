using System;
using System.IO;
using DeepUnlearn.Bayesian;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class ClassificationCsvTests
{
    [Fact]
    public void Parse_WithHeader_IntegerLabels()
    {
        ClassificationData data = ClassificationCsv.Parse(new StringReader("x1,x2,label\n0.5,-1,0\n1e-2, 3 ,2\n\n-4,0.25,1\n"), "t.csv");
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([0.5, -1, 0.01, 3, -4, 0.25], data.Features.ToArray());
        Assert.Equal([0, 2, 1], data.Labels.ToArray());
        Assert.Equal([0, 1, 2], data.Ids.ToArray());
    }

    [Fact]
    public void Parse_WithoutHeader_NamedLabels_NumberedInOrdinalOrder()
    {
        ClassificationData data = ClassificationCsv.Parse(new StringReader("1,2,\"dog\"\n3,4,cat\n5,6,dog\n7,8,-1\n"));
        Assert.Equal(4, data.Count);
        Assert.Equal(["-1", "cat", "dog"], data.ClassNames);
        Assert.Equal([2, 1, 2, 0], data.Labels.ToArray());
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,2\n", "line 3", "found 2 fields; expected 3")]
    [InlineData("1,2,0\n1,x,1\n", "line 2", "column 2 is 'x', not a finite number")]
    [InlineData("1,2,0\n1,,1\n", "line 2", "column 2 is empty")]
    [InlineData("1,2,0\n1,NaN,1\n", "line 2", "not a finite number")]
    [InlineData("1,2,0\n1,2,\n", "line 2", "the label (column 3) is empty")]
    [InlineData("5\n", "line 1", "need at least 2")]
    [InlineData("a,b,y\n", "no data rows", "")]
    [InlineData("", "no data rows", "")]
    [InlineData("1,2,0\n3,4,0\n", "at least 2 classes", "")]
    public void Parse_Malformed_NamesTheLine(string text, string where, string what)
    {
        var e = Assert.Throws<InvalidDataException>(() => ClassificationCsv.Parse(new StringReader(text), "user.csv"));
        Assert.StartsWith("user.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ClassificationCsv.Read(Path.Combine(Path.GetTempPath(), "no-such-dir-vbu", "x.csv")));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_File_RoundTripsRows()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vbu-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "f,y\n1.5,1\n-2,0\n");
            ClassificationData data = ClassificationCsv.Read(path);
            Assert.Equal([1.5, -2], data.Features.ToArray());
            Assert.Equal([1, 0], data.Labels.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
