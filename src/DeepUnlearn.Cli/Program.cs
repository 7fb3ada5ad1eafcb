using System;
using System.CommandLine;
using DeepUnlearn.Cli.Commands;

namespace DeepUnlearn.Cli;

/// <summary>Entry point of the <c>deepunlearn</c> command.</summary>
public static class Program
{
    /// <summary>Exit code: success.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code: the command line was wrong.</summary>
    public const int ExitUsage = 1;

    /// <summary>Exit code: the work failed.</summary>
    public const int ExitFailure = 2;

    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        RootCommand root = BuildRootCommand();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }
            Console.Error.WriteLine("Run 'deepunlearn --help' for usage.");
            return ExitUsage;
        }
        try
        {
            // System.CommandLine's default handler would print the exception and return 1 (the usage code);
            // failures must reach the catch below and exit with ExitFailure.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"deepunlearn: {e.Message}");
            return ExitFailure;
        }
    }

    /// <summary>The full command tree.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("DeepUnlearn: machine unlearning for image classifiers on libtorch.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DeltaGradCommand.Create());
        return root;
    }
}
