using System;

namespace DeepUnlearn.Cli;

/// <summary>Status lines ("seed 0: famr") on standard error.</summary>
internal sealed class ConsoleStatus(string label) : IProgress<string>
{
    public void Report(string value) => Console.Error.WriteLine($"{label}: {value}");
}
