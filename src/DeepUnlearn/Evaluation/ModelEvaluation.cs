using DeepUnlearn.Models;

namespace DeepUnlearn.Evaluation;

/// <summary>A model's predictions on the forget, retain and test sets of one request (the inputs of every metric).</summary>
/// <param name="Forget">On the forget set.</param>
/// <param name="Retain">On the retain set.</param>
/// <param name="Test">On the test set used for TA (remaining classes for class-wise forgetting).</param>
/// <param name="ForgottenTest">On the forgotten classes' test samples (class-wise only).</param>
/// <param name="Parameters">The model's parameters, flattened (float32), for distances.</param>
public sealed record ModelEvaluation(Predictions Forget, Predictions Retain, Predictions Test, Predictions? ForgottenTest, float[] Parameters)
{
    /// <summary>The representation probe's verdict on the forgotten class (class-wise requests with the probe on; else null).</summary>
    public ProbeResult? Probe { get; init; }

    /// <summary>Relearn time (when the evaluator was given <see cref="RelearnOptions"/>; else null).</summary>
    public RelearnResult? Relearn { get; init; }

    /// <summary>The probe at each requested layer (<see cref="UnlearningEvaluator.ProbeLayers"/>; else null).</summary>
    public System.Collections.Generic.IReadOnlyList<LayerProbeResult>? LayerProbes { get; init; }

    /// <summary>ZRF, the class MIA, D_f histograms, per-class accuracy and the MIA ROC (when the evaluator measures them).</summary>
    public OutputEvidence? Outputs { get; init; }

    /// <summary>Flattens the trainable parameters of <paramref name="model"/> (state-dict order, buffers excluded).</summary>
    public static float[] Flatten(ClassifierModel model)
    {
        System.ArgumentNullException.ThrowIfNull(model);
        var values = new System.Collections.Generic.List<float>();
        foreach (var (_, p) in model.named_parameters())
        {
            // The detached view and the float32/CPU copies are temporaries of this parameter only.
            using var scope = TorchSharp.torch.NewDisposeScope();
            TorchSharp.torch.Tensor host = p.detach().to(TorchSharp.torch.ScalarType.Float32).cpu();
            values.AddRange(host.data<float>().ToArray());
        }
        return [.. values];
    }

    /// <summary>‖a − b‖₂ of two flattened parameter vectors of the same architecture.</summary>
    public static double Distance(float[] a, float[] b)
    {
        System.ArgumentNullException.ThrowIfNull(a);
        System.ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new System.ArgumentException($"parameter vectors of {a.Length} and {b.Length} values come from different architectures");
        }
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return System.Math.Sqrt(sum);
    }
}
