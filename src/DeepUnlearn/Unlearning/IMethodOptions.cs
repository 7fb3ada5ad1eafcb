namespace DeepUnlearn.Unlearning;

/// <summary>An options record of an unlearning method: paper defaults in its initialisers, checked by <see cref="Validate"/>.</summary>
public interface IMethodOptions
{
    /// <summary>Throws <see cref="System.ArgumentException"/> naming the bad setting and what is valid.</summary>
    void Validate();
}
