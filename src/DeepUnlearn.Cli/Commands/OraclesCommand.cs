using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Protocols;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn oracles list|verify DIR</c>: the stored originals and retrained oracles, with their content keys and integrity.</summary>
internal static class OraclesCommand
{
    public static Command Create()
    {
        var command = new Command("oracles", "List or verify the stored originals and retrained oracles (content-keyed artefacts) of a sweep.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Argument<string> Directory() => new("DIR") { Description = "A sweep directory (its oracles/ store is used) or an artefact store (--oracles of a sweep)." };

    private static Command List()
    {
        var directory = Directory();
        var command = new Command("list", "Show every stored model: kind, content key, what it was trained from, file, size, training time.") { directory };
        command.SetAction((parse, _) =>
        {
            var store = new ArtefactStore(StoreOf(parse.GetValue(directory)!));
            var artefacts = store.List();
            Console.WriteLine($"{artefacts.Count} artefacts in {store.Root}");
            Console.WriteLine();
            Console.WriteLine("| kind | key | protocol | request | seed | file | MB | train time (s) | test acc. | engine |");
            Console.WriteLine("| --- | --- | --- | --- | ---: | --- | ---: | ---: | ---: | --- |");
            foreach (StoredArtefact a in artefacts)
            {
                ArtefactRecord r = a.Record;
                double megabytes = r.Files.Where(f => f.Name == r.File).Sum(f => f.Bytes) / 1e6;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Kind} | {CanonicalJson.Short(r.Key, 16)} | {Text(r, "protocol")} {Text(r, "scale")} | {Text(r, "request")} | {Text(r, "seed")} | {r.File} | {megabytes:F1} | {r.Seconds:F1} | {(r.TestAccuracy is double t ? t.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {r.Engine.Runner} {r.Engine.Device} |"));
            }
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    private static Command Verify()
    {
        var directory = Directory();
        var command = new Command("verify", "Check every stored model: key against its recorded material, directory name against key, files against their SHA-256.") { directory };
        command.SetAction((parse, _) =>
        {
            var store = new ArtefactStore(StoreOf(parse.GetValue(directory)!));
            var results = store.Verify();
            foreach (ArtefactVerification v in results)
            {
                string name = Path.GetFileName(v.Directory);
                Console.WriteLine(v.Ok ? $"ok      {name}" : $"BROKEN  {name}: {string.Join("; ", v.Problems)}");
            }
            int broken = results.Count(v => !v.Ok);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Count} artefacts, {broken} broken"));
            return Task.FromResult(broken == 0 ? Program.ExitOk : Program.ExitFailure);
        });
        return command;
    }

    private static string StoreOf(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"'{directory}' does not exist");
        }
        return File.Exists(Path.Combine(directory, SweepDirectory.ProtocolFile)) ? SweepDirectory.Oracles(directory) : directory;
    }

    private static string Text(ArtefactRecord record, string key) => record.Material[key]?.ToJsonString().Trim('"') ?? "–";
}
