using System;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Ssd;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class SsdTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void Dampen_ContrivedImportances_ScalesExactlyWhereForgetImportanceDominates()
    {
        using var scope = torch.NewDisposeScope();
        const double alpha = 2;
        const double lambda = 3;
        float[] theta = [1.5f, -2f, 4f, 0.75f, -1f, 3f, 8f];
        float[] iD = [1f, 1f, 1f, 0f, 2f, 0.5f, 1f];
        float[] iF = [2f, 2.5f, 4f, 0.25f, 0f, 1.25f, 10f];
        // Selected where I_f > α·I_D: entries 1, 2, 3, 5 and 6 (not 0: I_f = α·I_D; not 4: I_f = 0).
        // β = min(λ·I_D/I_f, 1): 1 (capped) for entries 1 and 5, 3/4 for 2, 0 for 3 (I_D = 0), 3/10 for 6.
        Tensor parameter = torch.tensor(theta, [theta.Length]);
        long count = SsdMethod.Dampen(parameter, torch.tensor(iD, [iD.Length]), torch.tensor(iF, [iF.Length]), alpha, lambda);

        float[] after = parameter.data<float>().ToArray();
        var expected = new float[theta.Length];
        int selected = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            if (iF[i] > (float)alpha * iD[i])
            {
                selected++;
                expected[i] = theta[i] * Math.Min((float)lambda * iD[i] / iF[i], 1f);
            }
            else
            {
                expected[i] = theta[i];
            }
        }
        Assert.Equal(5, selected);
        Assert.Equal(selected, count);
        Assert.Equal(expected, after);
        Assert.Equal(theta[0], after[0]);            // I_f = α·I_D exactly: not selected
        Assert.Equal(theta[1], after[1]);            // selected but λ·I_D/I_f > 1: β = 1
        Assert.Equal(theta[2] * 0.75f, after[2]);    // β = 3·1/4
        Assert.Equal(0f, after[3]);                  // I_D = 0: β = 0
        Assert.Equal(theta[4], after[4]);            // I_f = 0: never selected
        Assert.Equal(theta[5], after[5]);            // selected, β capped at 1
        Assert.Equal(8.0 * 0.3, after[6], 5);        // β = 3/10
    }

    [Fact]
    public void Dampen_InfiniteAlpha_ChangesNothing()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(1);
        Tensor parameter = torch.randn([50], generator: generator);
        float[] before = parameter.data<float>().ToArray();
        Tensor iD = torch.rand([50], generator: generator);
        iD.narrow(0, 0, 10).zero_();
        Tensor iF = torch.rand([50], generator: generator).mul(1e6);
        Assert.Equal(0, SsdMethod.Dampen(parameter, iD, iF, double.PositiveInfinity, 1));
        Assert.Equal(before, parameter.data<float>().ToArray());
    }

    [Fact]
    public void Run_InfiniteAlpha_IsTheIdentity()
    {
        float[] before = setup.Flatten(setup.Original);
        IUnlearningMethod method = MethodRegistry.Create("ssd", [new("alpha", "Infinity")]);
        using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
        Assert.Equal(before, setup.Flatten(outcome.Model));
        Assert.Equal(0, outcome.Diagnostics["dampened_parameters"]);
    }

    [Fact]
    public void Run_SmallAlpha_DampensSomeParametersAndNeverGrowsAny()
    {
        float[] before = setup.Flatten(setup.Original);
        IUnlearningMethod method = MethodRegistry.Create("ssd", [new("alpha", "2")]);
        using UnlearningOutcome outcome = method.Run(setup.Context, CancellationToken.None);
        float[] after = setup.Flatten(outcome.Model);
        int changed = 0;
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(after[i]) <= Math.Abs(before[i]), $"entry {i} grew from {before[i]} to {after[i]}");
            Assert.True(after[i] == 0 || Math.Sign(after[i]) == Math.Sign(before[i]));
            changed += after[i] != before[i] ? 1 : 0;
        }
        // Selected entries whose β is capped at 1 keep their value, so changed ≤ dampened.
        Assert.InRange((double)changed, 1, outcome.Diagnostics["dampened_parameters"]);
        Assert.InRange(outcome.Diagnostics["dampened_fraction"], 1e-6, 0.5);
    }
}
