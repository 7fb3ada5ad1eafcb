using System;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>Variants of the tiny setup's context: another original, another seed, augmentation off.</summary>
internal static class Contexts
{
    public static UnlearningContext WithOriginal(TinyUnlearningSetup setup, ClassifierModel original, bool augment = true, ulong seed = 0)
    {
        UnlearningContext c = setup.Context;
        return new UnlearningContext(original, setup.Data, c.ForgetIds, c.RetainIds, c.ValidationIds, c.ForgottenClasses, setup.Recipe with { Augment = augment }, torch.CPU, seed) { Workers = 0 };
    }

    public static UnlearningContext With(TinyUnlearningSetup setup, bool augment = true, ulong seed = 0) => WithOriginal(setup, setup.Original, augment, seed);
}

/// <summary>One intra-op thread for the scope of a test, so results are bit-reproducible.</summary>
internal sealed class SingleThread : IDisposable
{
    private readonly int _threads;

    public SingleThread()
    {
        TorchRuntime.EnsureInitialized();
        _threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(_threads);
}
