using System;
using System.CommandLine;
using DeepUnlearn.Cli.Commands;
using DeepUnlearn.Engine;

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
        // Before the first tensor: malloc thresholds, OpenMP's wait policy (read once, when libtorch loads libgomp)
        // and the thread count. A bad DU_NUM_THREADS / DU_MALLOC_TUNING is the user's setting to correct.
        try
        {
            TorchRuntime.EnsureInitialized();
        }
        catch (EngineConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitUsage;
        }
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
            // Exceptions must reach the handler below (exit code 2 with the message), not the library's
            // default handler (exit code 1 with a stack trace).
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A libtorch error arrives as TorchSharp's ExternalException: libtorch's message, then a C++ backtrace
            // of no use to the user; Summarize keeps the message.
            Console.Error.WriteLine($"deepunlearn: {LibTorchErrors.Summarize(e)}");
            return ExitFailure;
        }
    }

    /// <summary>The full command tree.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("DeepUnlearn: machine unlearning for image classifiers on TorchSharp (libtorch).");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(UnlearnCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DeltaGradCommand.Create());
        root.Subcommands.Add(VbuCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(OraclesCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        return root;
    }
}
