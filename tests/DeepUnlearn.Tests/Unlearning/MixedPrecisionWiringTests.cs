using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Configuration;
using DeepUnlearn.Engine;
using DeepUnlearn.Tests.Unlearning.Methods;
using DeepUnlearn.Unlearning;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// Every registered method follows the context's <see cref="PrecisionPolicy"/>: under bfloat16 + channels-last on the
/// CPU its forward passes come out of autocast in bfloat16 (counted by <see cref="MixedPrecision"/>), its result is
/// finite and its convolution weights are channels-last. deltagrad-head is the exception by design: its one forward
/// pass extracts the features its exact replay works on, in float32.
/// </summary>
public sealed class MixedPrecisionWiringTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly PrecisionPolicy s_policy = new(torch.ScalarType.BFloat16, LossScaling: false, ChannelsLast: true, "test");

    public static TheoryData<string> Methods() => new(MethodRegistry.Names.Where(n => n != "deltagrad-head"));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Run_BFloat16ChannelsLast_ForwardPassesRunInBFloat16(string name)
    {
        using var threads = new SingleThread();
        UnlearningContext c = setup.Context;
        var context = new UnlearningContext(setup.Original, setup.Data, c.ForgetIds, c.RetainIds, c.ValidationIds, c.ForgottenClasses, setup.Recipe, torch.CPU, 0)
        {
            Workers = 0,
            Precision = s_policy,
        };
        long before = MixedPrecision.ReducedPrecisionForwardsOnThisThread;

        // One epoch (or pass) is enough to see the loop's forward passes; SSD has no epochs.
        MethodEntry entry = MethodRegistry.Find(name);
        IMethodOptions options = SettingsBinder.Keys(entry.OptionsType).Any(k => k.Key == "epochs")
            ? SettingsBinder.Apply(entry.Defaults(), [new KeyValuePair<string, string>("epochs", "1")], name)
            : entry.Defaults();

        using UnlearningOutcome outcome = entry.Factory(options).Run(context, CancellationToken.None);

        Assert.True(MixedPrecision.ReducedPrecisionForwardsOnThisThread > before, $"{name} ran no forward pass in bfloat16");
        Assert.All(setup.Flatten(outcome.Model), v => Assert.True(float.IsFinite(v)));
        Assert.All(outcome.Model.modules().OfType<Conv2d>(), conv => Assert.True(MemoryLayout.IsChannelsLast(conv.weight!), $"{name}: a convolution weight is not channels-last"));
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }
}
