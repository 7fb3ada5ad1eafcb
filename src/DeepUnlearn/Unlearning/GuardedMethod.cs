using System.Threading;
using DeepUnlearn.Unlearning.Methods;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// What the registry hands out for every method: the method itself, with its outcome checked by
/// <see cref="DivergenceGuard.CheckOutcome"/> before anyone evaluates, reports or saves it. A method that ran away
/// (NaN or infinite weights, buffers or outputs) fails with a <see cref="Training.TrainingDivergedException"/> naming
/// the method and the setting to change, instead of being scored as perfect forgetting.
/// </summary>
internal sealed class GuardedMethod(IUnlearningMethod inner, IMethodOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <summary>The method being guarded.</summary>
    public IUnlearningMethod Inner => inner;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        UnlearningOutcome outcome = inner.Run(context, cancellationToken);
        try
        {
            DivergenceGuard.CheckOutcome(inner.Name, options, outcome, context, cancellationToken);
            return outcome;
        }
        catch
        {
            outcome.Dispose();
            throw;
        }
    }
}
