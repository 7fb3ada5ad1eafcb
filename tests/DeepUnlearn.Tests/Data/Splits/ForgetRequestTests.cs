using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using Xunit;

namespace DeepUnlearn.Tests.Data.Splits;

public class ForgetRequestTests
{
    private static readonly string[] s_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
    private static readonly int[] s_labels = TrainValidationSplitTests.CifarLikeLabels();
    private static readonly TrainValidationSplit s_split = TrainValidationSplit.Stratified(s_labels, 10, 0.1, seed: 0);

    private static ForgetSets Resolve(ForgetRequest request) => request.Resolve(s_labels, s_names, s_split.Train);

    private static void AssertPartition(ForgetSets sets)
    {
        Assert.Equal(sets.Forget.Order(), sets.Forget);
        Assert.Equal(sets.Retain.Order(), sets.Retain);
        Assert.Empty(sets.Forget.Intersect(sets.Retain));
        Assert.Equal(s_split.Train, sets.Forget.Concat(sets.Retain).Order());
    }

    [Fact]
    public void ForClasses_ByIndexOrName_ForgetsTheWholeClassInTrain()
    {
        ForgetSets byIndex = Resolve(ForgetRequest.ForClasses(3));
        AssertPartition(byIndex);
        Assert.Equal(4_500, byIndex.Forget.Length);
        Assert.All(byIndex.Forget, id => Assert.Equal(3, s_labels[id]));
        Assert.Equal([3], byIndex.ForgottenClasses);
        Assert.True(byIndex.IsClassWise);
        ForgetSets byName = Resolve(ForgetRequest.ForClassNames("cat"));
        Assert.Equal(byIndex.Forget, byName.Forget);
        Assert.Equal(byIndex.Forget, Resolve(ForgetRequest.ForClassNames("CAT")).Forget);
        Assert.Equal(byIndex.Forget, Resolve(ForgetRequest.Parse("classes:3")).Forget);
        ForgetSets two = Resolve(ForgetRequest.Parse("classes:airplane, truck"));
        Assert.Equal([0, 9], two.ForgottenClasses);
        Assert.Equal(9_000, two.Forget.Length);
    }

    [Fact]
    public void ForClassNames_Unknown_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForClassNames("zebra")));
        Assert.Contains("unknown class 'zebra'", e.Message, StringComparison.Ordinal);
        Assert.Contains("airplane, automobile, bird", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForClasses(10)));
        Assert.Contains("0..9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForClasses_AllClasses_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForClasses(Enumerable.Range(0, 10).ToArray())));
        Assert.Contains("whole training split", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitByForgottenClasses_SeparatesTestIds()
    {
        InMemoryVisionDataset test = DataFiles.Synthetic(30);
        ForgetSets sets = ForgetRequest.ForClasses(2).Resolve(test, Enumerable.Range(0, 30).ToArray());
        var (remaining, forgotten) = sets.SplitByForgottenClasses(test);
        Assert.Equal([2, 12, 22], forgotten);
        Assert.Equal(27, remaining.Length);
        var (all, none) = ForgetRequest.RandomCount(3).Resolve(test, Enumerable.Range(0, 30).ToArray()).SplitByForgottenClasses(test);
        Assert.Equal(30, all.Length);
        Assert.Empty(none);
    }

    [Fact]
    public void RandomCount_IsSeededSubsetOfTrain()
    {
        ForgetSets a = Resolve(ForgetRequest.RandomCount(4_500, seed: 7));
        AssertPartition(a);
        Assert.Equal(4_500, a.Forget.Length);
        Assert.False(a.IsClassWise);
        Assert.Equal(a.Forget, Resolve(ForgetRequest.RandomCount(4_500, seed: 7)).Forget);
        Assert.NotEqual(a.Forget, Resolve(ForgetRequest.RandomCount(4_500, seed: 8)).Forget);
        Assert.Equal(a.Forget, Resolve(ForgetRequest.Parse("count:4500@7")).Forget);
        Assert.Equal(a.Forget, Resolve(ForgetRequest.Parse("count:4500", seed: 7)).Forget);
    }

    [Fact]
    public void RandomCount_Stratified_TakesTheSameShareOfEveryClass()
    {
        ForgetSets sets = Resolve(ForgetRequest.RandomCount(4_500, seed: 2, stratified: true));
        AssertPartition(sets);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(450, sets.Forget.Count(id => s_labels[id] == c)));
        // 455 over 10 equal classes: 45 each, the 5 leftover to the first classes.
        ForgetSets uneven = Resolve(ForgetRequest.RandomCount(455, seed: 2, stratified: true));
        Assert.Equal(455, uneven.Forget.Length);
        Assert.Equal([46, 46, 46, 46, 46, 45, 45, 45, 45, 45], Enumerable.Range(0, 10).Select(c => uneven.Forget.Count(id => s_labels[id] == c)));
    }

    [Fact]
    public void RandomFraction_ForgetsRoundedShare()
    {
        ForgetSets sets = Resolve(ForgetRequest.RandomFraction(0.1, seed: 1));
        AssertPartition(sets);
        Assert.Equal(4_500, sets.Forget.Length);
        ForgetSets stratified = Resolve(ForgetRequest.Parse("stratified-fraction:0.01@5"));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(45, stratified.Forget.Count(id => s_labels[id] == c)));
        var e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.RandomFraction(1e-6)));
        Assert.Contains("selects no sample", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomCount_WholeTrainingSet_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.RandomCount(45_000)));
        Assert.Contains("leaves nothing to retain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyRequests_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => ForgetRequest.ForClasses());
        Assert.Throws<ArgumentException>(() => ForgetRequest.ForClassNames(" ", ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForgetRequest.RandomCount(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForgetRequest.RandomFraction(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForgetRequest.RandomFraction(1));
        Assert.Throws<ArgumentException>(() => ForgetRequest.ForIds([]));
    }

    [Fact]
    public void FromIdFile_ReadsIdsSkippingBlanksAndComments()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("forget.txt");
        int[] train = s_split.Train;
        File.WriteAllLines(path, ["# ids to forget", $"{train[10]}", "", $"  {train[3]}  # trailing comment", $"{train[10]}", $"{train[7]}"]);
        ForgetRequest request = ForgetRequest.FromIdFile(path);
        Assert.Equal(ForgetRequestKind.Ids, request.Kind);
        ForgetSets sets = Resolve(request);
        AssertPartition(sets);
        Assert.Equal([train[3], train[7], train[10]], sets.Forget);
        Assert.Equal($"ids:{path}", request.ToString());
        Assert.Equal(sets.Forget, Resolve(ForgetRequest.Parse($"ids:{path}")).Forget);
    }

    [Fact]
    public void FromIdFile_BadLineOrEmptyOrMissing_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("bad.txt");
        File.WriteAllLines(path, ["1", "two"]);
        var e = Assert.Throws<FormatException>(() => ForgetRequest.FromIdFile(path));
        Assert.Contains($"{path}:2: 'two' is not an integer id", e.Message, StringComparison.Ordinal);
        File.WriteAllLines(path, ["# nothing", ""]);
        Assert.Throws<ArgumentException>(() => ForgetRequest.FromIdFile(path));
        Assert.Throws<FileNotFoundException>(() => ForgetRequest.FromIdFile(dir.Combine("none.txt")));
    }

    [Fact]
    public void Ids_OutOfRangeOrInValidation_AreRejectedWithTheValidRange()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForIds([5, 50_000])));
        Assert.Contains("id 50000 is out of range; valid ids are 0..49999", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForIds([-1])));
        int held = s_split.Validation[0];
        e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForIds([held])));
        Assert.Contains($"id {held} is not in the training split", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Resolve(ForgetRequest.ForIds(s_split.Train)));
        Assert.Contains("whole training split", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RoundTripsCanonicalForms_AndRejectsOthers()
    {
        foreach (string text in new[] { "classes:cat,dog", "count:100@3", "stratified-count:100@3", "fraction:0.25@9", "stratified-fraction:0.1@0" })
        {
            Assert.Equal(text, ForgetRequest.Parse(text).ToString());
        }
        var e = Assert.Throws<FormatException>(() => ForgetRequest.Parse("random:12"));
        Assert.Contains("valid forms", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ForgetRequest.Parse("count:ten"));
        Assert.Throws<FormatException>(() => ForgetRequest.Parse("cat"));
    }

    [Fact]
    public void UnlearningSplit_CombinesSplitAndRequest()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(1_000);
        UnlearningSplit split = UnlearningSplit.Create(data, ForgetRequest.ForClassNames("c4"), splitSeed: 2);
        Assert.Equal(900, split.Train.Length);
        Assert.Equal(100, split.Validation.Length);
        Assert.Equal(90, split.Forget.Length);
        Assert.Equal(810, split.Retain.Length);
        Assert.All(split.Forget, id => Assert.Equal(4, data.Label(id)));
        Assert.Empty(split.Forget.Intersect(split.Validation));
    }
}
