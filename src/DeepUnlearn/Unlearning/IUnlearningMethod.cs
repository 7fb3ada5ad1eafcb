using System.Threading;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// An unlearning method: given the original model and a deletion request (in the context), produce a
/// model that behaves as if the forget set had never been seen. Methods work on a copy (the original is
/// never mutated), never evaluate and never print; evaluation lives in <see cref="Evaluation"/>.
/// </summary>
public interface IUnlearningMethod
{
    /// <summary>The registry name (<c>famr</c>, <c>retrain</c>, ...).</summary>
    string Name { get; }

    /// <summary>Runs the method and returns the unlearned model (owned by the caller).</summary>
    UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken);
}
