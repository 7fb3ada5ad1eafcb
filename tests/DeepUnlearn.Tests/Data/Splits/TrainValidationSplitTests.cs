using System;
using System.Linq;
using DeepUnlearn.Data.Splits;
using Xunit;

namespace DeepUnlearn.Tests.Data.Splits;

public class TrainValidationSplitTests
{
    internal static int[] CifarLikeLabels() => Enumerable.Range(0, 50_000).Select(i => (i * 7) % 10).ToArray();

    [Fact]
    public void Stratified_Cifar10Sized_Gives45kTrainAnd5kValidation500PerClass()
    {
        int[] labels = CifarLikeLabels();
        TrainValidationSplit split = TrainValidationSplit.Stratified(labels, 10, 0.1, seed: 1);
        Assert.Equal(45_000, split.Train.Length);
        Assert.Equal(5_000, split.Validation.Length);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(500, split.Validation.Count(id => labels[id] == c)));
        Assert.Equal(split.Train.Order(), split.Train);
        Assert.Equal(split.Validation.Order(), split.Validation);
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(Enumerable.Range(0, 50_000), split.Train.Concat(split.Validation).Order());
    }

    [Fact]
    public void Stratified_IsReproducibleFromTheSeed()
    {
        int[] labels = CifarLikeLabels();
        Assert.Equal(TrainValidationSplit.Stratified(labels, 10, seed: 3).Validation, TrainValidationSplit.Stratified(labels, 10, seed: 3).Validation);
        Assert.NotEqual(TrainValidationSplit.Stratified(labels, 10, seed: 3).Validation, TrainValidationSplit.Stratified(labels, 10, seed: 4).Validation);
    }

    [Fact]
    public void Stratified_FloorsPerClass_AndZeroFractionKeepsEverything()
    {
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        TrainValidationSplit split = TrainValidationSplit.Stratified(labels, 2, 0.2);
        Assert.Equal(1, split.Validation.Count(id => labels[id] == 0)); // floor(0.2 * 7)
        Assert.Equal(2, split.Validation.Count(id => labels[id] == 1)); // floor(0.2 * 11)
        Assert.Equal(labels.Length, TrainValidationSplit.Stratified(labels, 2, 0).Train.Length);
    }

    [Fact]
    public void Stratified_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainValidationSplit.Stratified([0, 1], 2, 1.0));
        var e = Assert.Throws<ArgumentException>(() => TrainValidationSplit.Stratified([0, 2], 2));
        Assert.Contains("label 2", e.Message, StringComparison.Ordinal);
    }
}
