using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;

namespace DeepUnlearn.Tests.DeltaGrad;

/// <summary>Small seeded classification data: K Gaussian clusters in D dimensions.</summary>
internal static class Synthetic
{
    public static SampleTable Clusters(int count, int features, int classes, ulong seed, ScalarType dtype = ScalarType.Float64, string identity = "synthetic/train")
    {
        using var generator = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        Tensor centres = torch.randn([classes, features], dtype, generator: generator).mul(2.0);
        Tensor labels = torch.randint(0, classes, [count], ScalarType.Int64, generator: generator);
        Tensor noise = torch.randn([count, features], dtype, generator: generator);
        Tensor x = centres.index_select(0, labels).add(noise);
        x.MoveToOuterDisposeScope();
        labels.MoveToOuterDisposeScope();
        return new SampleTable(x, labels, identity, ownsTensors: true);
    }

    public static long[] Range(long count) => Enumerable.Range(0, checked((int)count)).Select(i => (long)i).ToArray();

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        return a.sub(b).abs().max().ToDouble();
    }

    public static double Norm(Tensor a)
    {
        using var scope = torch.NewDisposeScope();
        return a.norm().ToDouble();
    }
}
