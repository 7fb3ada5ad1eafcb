using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Protocols;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn merge DIR...</c>: the leaderboard of a sweep (mean ± 95% CI over seeds, SalUn's Gap of the means,
/// run time, speed-up, Pareto front; the search's choices) as Markdown, CSV, JSON, LaTeX and SVG.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var directories = new Argument<string[]>("DIR") { Description = "Sweep directories (the --out of 'deepunlearn sweep'; several when shards wrote to separate directories).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Where to write the leaderboard files (default: FIRST-DIR/leaderboard)." };
        var overwrite = CommonOptions.Overwrite();
        var budget = new Option<double?>("--time-budget") { Description = "Compare at matched run time: list the methods whose mean time is within this many seconds, closest to retrain first." };
        var command = new Command("merge", "Build the leaderboard of one or more sweep directories: leaderboard.md/.csv/.json/.tex and SVG charts.")
        {
            directories, output, budget, overwrite,
        };
        command.SetAction((parse, _) =>
        {
            string[] dirs = parse.GetValue(directories)!;
            Leaderboard board = LeaderboardBuilder.Build(dirs, parse.GetValue(budget));
            string target = parse.GetValue(output) ?? Path.Combine(dirs[0], "leaderboard");
            // A merge replaces the leaderboard of an earlier merge (merging again as shards finish is the usual use) but
            // nothing else: a non-empty folder without leaderboard.json is refused unless --overwrite.
            bool earlierBoard = File.Exists(Path.Combine(target, "leaderboard.json"));
            using RunDirectory run = RunDirectory.Claim(target, parse.GetValue(overwrite) || earlierBoard ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
            LeaderboardWriter.WriteAll(board, run.StagingFolder());
            IReadOnlyList<string> files = run.Publish().Select(run.Final).ToArray();
            Console.WriteLine(LeaderboardWriter.Markdown(board));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merge: {files.Count} files in {Path.GetFullPath(target)} ({string.Join(", ", files.Select(Path.GetFileName))})"));
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }
}
