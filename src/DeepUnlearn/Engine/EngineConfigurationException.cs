using System;

namespace DeepUnlearn.Engine;

/// <summary>
/// An environment variable that configures the engine holds a value it cannot use. The message names the variable,
/// the value and the valid range; the CLI reports it as a usage error.
/// </summary>
public sealed class EngineConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="variable"/>.</summary>
    public EngineConfigurationException(string variable, string message)
        : base(message)
    {
        Variable = variable;
    }

    /// <summary>Creates an exception with a message.</summary>
    public EngineConfigurationException(string message)
        : base(message)
    {
        Variable = string.Empty;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public EngineConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Variable = string.Empty;
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public EngineConfigurationException()
        : this("invalid engine configuration")
    {
    }

    /// <summary>The environment variable at fault (empty when none).</summary>
    public string Variable { get; }
}
