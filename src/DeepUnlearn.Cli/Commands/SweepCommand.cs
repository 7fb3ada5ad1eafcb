using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using DeepUnlearn.Protocols;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn sweep RECIPE --out DIR [--shard i/n]</c>: runs a protocol's cells (methods × requests × seeds ×
/// search grid), or one shard of them, into DIR; finished cells are skipped, so re-running resumes.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var options = new ProtocolCliOptions();
        var output = CommonOptions.Out();
        var shard = new Option<string>("--shard") { Description = "Run slice i of n (0-based): Slurm --shard $SLURM_ARRAY_TASK_ID/n, Kubernetes --shard $JOB_COMPLETION_INDEX/n. All shards share --out.", DefaultValueFactory = _ => "0/1" };
        var command = new Command("sweep", "Run a protocol's cells (methods × requests × seeds × grid) into a directory; shardable, resumable; retrain oracles trained once and shared.")
        {
            output, shard,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            Shard slice = Shard.Parse(parse.GetValue(shard)!);
            ProtocolRecipe recipe = options.LoadRecipe(parse);
            string directory = Path.GetFullPath(parse.GetValue(output)!);
            using ILoggerFactory logging = CliLogging.Create(parse.GetValue(options.Verbose));
            ICellRunner runner = options.CreateRunner(parse, recipe, logging, "sweep");
            System.Console.Error.WriteLine($"sweep: {recipe.Name} (hash {recipe.ShortHash}), scale {recipe.ScaleLabel}, shard {slice}, runner {runner.Engine.Runner} on {runner.Engine.Device}, into {directory}");
            SweepSummary summary = new SweepRunner(recipe, directory, runner, options.SweepOptions(parse, slice, "sweep")).Run(cancellationToken);
            return Task.FromResult(ProtocolCliOptions.PrintSummary(summary, directory));
        });
        return command;
    }
}
