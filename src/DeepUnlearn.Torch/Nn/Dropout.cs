using System;

namespace DeepUnlearn.Torch.Nn;

/// <summary>Zeroes elements with probability p in training mode and rescales the rest (torch.nn.Dropout).</summary>
public sealed class Dropout : Module
{
    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        }
        P = p;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining);
}
