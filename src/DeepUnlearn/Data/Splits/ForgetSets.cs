using System;
using System.Collections.Generic;

namespace DeepUnlearn.Data.Splits;

/// <summary>
/// The resolution of a <see cref="ForgetRequest"/> over a training split: the forget set D_f and the
/// retain set D_r = train \ D_f, both sorted ids of the training dataset.
/// </summary>
public sealed class ForgetSets
{
    internal ForgetSets(ForgetRequest request, int[] forget, int[] retain, int[] forgottenClasses)
    {
        Request = request;
        Forget = forget;
        Retain = retain;
        ForgottenClasses = forgottenClasses;
    }

    /// <summary>The request resolved.</summary>
    public ForgetRequest Request { get; }

    /// <summary>D_f: the ids to forget, sorted.</summary>
    public int[] Forget { get; }

    /// <summary>D_r: the training ids to keep, sorted.</summary>
    public int[] Retain { get; }

    /// <summary>The classes forgotten as a whole (class-wise requests), sorted; empty otherwise.</summary>
    public int[] ForgottenClasses { get; }

    /// <summary>True for class-wise forgetting (test accuracy is then reported on the remaining classes).</summary>
    public bool IsClassWise => ForgottenClasses.Length > 0;

    /// <summary>
    /// Splits <paramref name="dataset"/>'s ids (a test set) into those of the remaining classes and those of
    /// the forgotten classes: the SalUn protocol reports TA on the first and the forgotten classes apart.
    /// For sample-wise requests every id remains.
    /// </summary>
    public (int[] Remaining, int[] Forgotten) SplitByForgottenClasses(IVisionDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var forgottenClass = new HashSet<int>(ForgottenClasses);
        var remaining = new List<int>(dataset.Count);
        var forgotten = new List<int>();
        ReadOnlySpan<int> labels = dataset.Labels.Span;
        for (int id = 0; id < labels.Length; id++)
        {
            (forgottenClass.Contains(labels[id]) ? forgotten : remaining).Add(id);
        }
        return (remaining.ToArray(), forgotten.ToArray());
    }
}
