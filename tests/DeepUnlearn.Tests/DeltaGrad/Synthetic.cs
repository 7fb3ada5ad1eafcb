using System.Linq;
using DeepUnlearn.Torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;

namespace DeepUnlearn.Tests.DeltaGrad;

/// <summary>Small seeded classification data: K Gaussian clusters in D dimensions.</summary>
internal static class Synthetic
{
    public static SampleTable Clusters(int count, int features, int classes, ulong seed, DType dtype = DType.Float64, string identity = "synthetic/train")
    {
        using var generator = new Generator(seed);
        using var scope = TensorScope.Begin();
        Tensor centres = Tensor.Randn([classes, features], dtype, null, generator).Mul(2.0);
        Tensor labels = Tensor.Randint(0, classes, [count], DType.Int64, null, generator);
        Tensor noise = Tensor.Randn([count, features], dtype, null, generator);
        Tensor x = centres.IndexSelect(0, labels).Add(noise);
        scope.Keep(x);
        scope.Keep(labels);
        return new SampleTable(x, labels, identity, ownsTensors: true);
    }

    public static long[] Range(long count) => Enumerable.Range(0, checked((int)count)).Select(i => (long)i).ToArray();

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = TensorScope.Begin();
        return a.Sub(b).Abs().Max().Item();
    }

    public static double Norm(Tensor a)
    {
        using var scope = TensorScope.Begin();
        return a.Norm().Item();
    }
}
