using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using DeepUnlearn.Protocols;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn reproduce RECIPE [--scale small]</c>: the whole protocol on this machine (the sweep in one process,
/// then the merge), and our table printed beside the published one.
/// </summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var options = new ProtocolCliOptions();
        var output = new Option<string?>("--out") { Description = "Where the sweep and its leaderboard go (default runs/reproduce/NAME-SCALE); re-running resumes." };
        var budget = new Option<double?>("--time-budget") { Description = "Also compare the methods within this many seconds of run time." };
        var command = new Command("reproduce", "Run a protocol end to end (sweep + merge) and print our table beside the published one.")
        {
            output, budget,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            ProtocolRecipe recipe = options.LoadRecipe(parse);
            string directory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", "reproduce", $"{recipe.Name}-{recipe.Scale}"));
            using ILoggerFactory logging = CliLogging.Create(parse.GetValue(options.Verbose));
            ICellRunner runner = options.CreateRunner(parse, recipe, logging, "reproduce");
            Console.Error.WriteLine($"reproduce: {recipe.Title}; scale {recipe.ScaleLabel}; runner {runner.Engine.Runner} on {runner.Engine.Device}; into {directory}");
            SweepSummary summary = new SweepRunner(recipe, directory, runner, options.SweepOptions(parse, Shard.Whole, "reproduce")).Run(cancellationToken);
            int exit = ProtocolCliOptions.PrintSummary(summary, directory);

            Leaderboard board = LeaderboardBuilder.Build([directory], parse.GetValue(budget));
            string target = Path.Combine(directory, "leaderboard");
            LeaderboardWriter.WriteAll(board, target);
            Console.WriteLine();
            Console.WriteLine($"# {recipe.Title}");
            foreach (string banner in LeaderboardWriter.Banners(board))
            {
                Console.WriteLine();
                Console.WriteLine($"> **{banner}**");
            }
            foreach (LeaderboardTable table in board.Tables)
            {
                Console.WriteLine();
                Console.WriteLine($"## `{table.RequestId}`: {table.Forget}");
                Console.WriteLine();
                Console.Write(LeaderboardWriter.MarkdownTable(board, table));
                Console.Write(LeaderboardWriter.AttackSection(table));
                Console.WriteLine();
                Console.Write(table.Published is null
                    ? $"The recipe has no published figures for `{table.RequestId}`.{Environment.NewLine}"
                    : LeaderboardWriter.BesidePublished(board, table));
            }
            Console.WriteLine();
            Console.WriteLine($"Full leaderboard (settings, search, provenance): {Path.Combine(target, "leaderboard.md")}");
            return Task.FromResult(exit);
        });
        return command;
    }
}
