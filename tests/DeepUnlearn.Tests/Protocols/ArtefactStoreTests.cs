using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Protocols;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class ArtefactStoreTests
{
    private static readonly EngineDescription s_engine = new("test", "none", "cpu", 1);

    private static ArtefactKey Key(string request = "classes:1", ulong seed = 0) =>
        new(ArtefactKey.OracleKind, new JsonObject { ["protocol"] = "p", ["request"] = request, ["seed"] = seed });

    private static TrainedModel Write(string output, string content)
    {
        File.WriteAllText(Path.Combine(output, "model.bin"), content);
        return new TrainedModel("model.bin", 1.5, null, new Dictionary<string, double>());
    }

    [Fact]
    public void Key_IsTheHashOfTheMaterial_AndChangesWithIt()
    {
        Assert.Equal(Key().Hash, Key().Hash);
        Assert.NotEqual(Key().Hash, Key(seed: 1).Hash);
        Assert.NotEqual(Key().Hash, Key(request: "classes:2").Hash);
        Assert.NotEqual(Key().Hash, new ArtefactKey(ArtefactKey.OriginalKind, new JsonObject { ["protocol"] = "p", ["request"] = "classes:1", ["seed"] = 0 }).Hash);
        Assert.Equal(64, Key().Hash.Length);
        Assert.Equal($"retrain-{Key().Hash}", Key().DirectoryName);
    }

    [Fact]
    public void GetOrCreate_TrainsOnce_ThenReusesThePublishedCopy()
    {
        using var temp = new TempDirectory();
        var store = new ArtefactStore(temp.Path);
        int trainings = 0;
        StoredArtefact first = store.GetOrCreate(Key(), s_engine, (output, _, _) => { trainings++; return Write(output, "weights"); });
        StoredArtefact second = store.GetOrCreate(Key(), s_engine, (output, _, _) => { trainings++; return Write(output, "other"); });
        Assert.Equal(1, trainings);
        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal("weights", File.ReadAllText(second.FilePath));
        Assert.Equal(1.5, second.Record.Seconds);
        Assert.Single(store.List());
        Assert.All(store.Verify(), v => Assert.True(v.Ok, string.Join("; ", v.Problems)));
        Assert.Empty(Directory.GetDirectories(temp.Path, ".tmp-*"));
    }

    [Fact]
    public void GetOrCreate_FailedTraining_PublishesNothing_AndTheNextCallTrainsAgain()
    {
        using var temp = new TempDirectory();
        var store = new ArtefactStore(temp.Path);
        Assert.Throws<InvalidOperationException>(() => store.GetOrCreate(Key(), s_engine, (output, _, _) =>
        {
            File.WriteAllText(Path.Combine(output, "partial.bin"), "half");
            throw new InvalidOperationException("preempted");
        }));
        Assert.Null(store.TryGet(Key()));
        Assert.Empty(store.List());
        StoredArtefact trained = store.GetOrCreate(Key(), s_engine, (output, _, _) => Write(output, "weights"));
        Assert.False(File.Exists(Path.Combine(trained.Directory, "partial.bin")));
    }

    [Fact]
    public async Task GetOrCreate_ConcurrentCallers_WaitOnTheLockInsteadOfTrainingTwice()
    {
        using var temp = new TempDirectory();
        int trainings = 0;
        TrainedModel Train(string output, string work, CancellationToken ct)
        {
            Interlocked.Increment(ref trainings);
            Thread.Sleep(400);
            return Write(output, "weights");
        }
        // Separate store objects, as separate processes would have; the lock is the file's flock.
        Task<StoredArtefact>[] callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            new ArtefactStore(temp.Path) { PollInterval = TimeSpan.FromMilliseconds(50) }
                .GetOrCreate(Key(), s_engine, Train))).ToArray();
        StoredArtefact[] results = await Task.WhenAll(callers);
        Assert.Equal(1, trainings);
        Assert.Single(results.Select(r => r.Directory).Distinct());
    }

    [Fact]
    public void Verify_FindsAlteredFilesRecordsAndStrayFiles()
    {
        using var temp = new TempDirectory();
        var store = new ArtefactStore(temp.Path);
        StoredArtefact a = store.GetOrCreate(Key(seed: 1), s_engine, (output, _, _) => Write(output, "weights-a"));
        StoredArtefact b = store.GetOrCreate(Key(seed: 2), s_engine, (output, _, _) => Write(output, "weights-b"));
        StoredArtefact c = store.GetOrCreate(Key(seed: 3), s_engine, (output, _, _) => Write(output, "weights-c"));
        File.WriteAllText(a.FilePath, "weights-x");                        // same size, other bytes
        string record = File.ReadAllText(Path.Combine(b.Directory, ArtefactStore.RecordFile));
        File.WriteAllText(Path.Combine(b.Directory, ArtefactStore.RecordFile), record.Replace("classes:1", "classes:9", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(c.Directory, "stray.txt"), "?");
        var results = store.Verify().ToDictionary(v => v.Directory);
        Assert.Contains(results[a.Directory].Problems, p => p.Contains("SHA-256", StringComparison.Ordinal));
        Assert.Contains(results[b.Directory].Problems, p => p.Contains("not the hash of its material", StringComparison.Ordinal));
        Assert.Contains(results[c.Directory].Problems, p => p.Contains("stray.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void FileLock_IsExclusiveUntilDisposed()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("x.lock");
        using (FileLock? first = FileLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(path));
            Assert.Contains($"pid {Environment.ProcessId}", FileLock.Holder(path), StringComparison.Ordinal);
        }
        using FileLock? again = FileLock.TryAcquire(path);
        Assert.NotNull(again);
    }
}
