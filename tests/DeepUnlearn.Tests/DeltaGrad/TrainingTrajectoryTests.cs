using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public sealed class TrainingTrajectoryTests : IDisposable
{
    private const long P = 13;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "du-trajectory-" + Guid.NewGuid().ToString("N"));

    public TrainingTrajectoryTests()
    {
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false, ScalarType.Float32)]
    [InlineData(false, ScalarType.Float64)]
    [InlineData(true, ScalarType.Float32)]
    [InlineData(true, ScalarType.Float64)]
    public void AppendThenRead_RoundTrips(bool file, ScalarType storage)
    {
        long live = LiveTensors.Settled();
        string path = Path.Combine(_directory, "t.dutraj");
        TrajectoryMetadata meta = Meta(storage);
        var (ids, rates, w, g) = Steps(5);
        using (TrainingTrajectory writer = file ? TrainingTrajectory.Create(path, meta, expectedSteps: 2) : TrainingTrajectory.InMemory(meta))
        {
            Write(writer, ids, rates, w, g);
            if (!file)
            {
                Check(writer, meta, ids, rates, w, g);
            }
        }
        if (file)
        {
            using TrainingTrajectory reader = TrainingTrajectory.Open(path);
            Assert.True(reader.IsReadOnly);
            Check(reader, meta, ids, rates, w, g);
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void EstimateBytes_MatchesTheFilesWritten()
    {
        string path = Path.Combine(_directory, "t.dutraj");
        var (ids, rates, w, g) = Steps(4);
        long totalIds = 0;
        foreach (long[] batch in ids)
        {
            totalIds += batch.Length;
        }
        using (TrainingTrajectory writer = TrainingTrajectory.Create(path, Meta(ScalarType.Float32)))
        {
            Write(writer, ids, rates, w, g);
        }
        long actual = new FileInfo(path).Length + new FileInfo(path + ".ids").Length;
        Assert.Equal(TrainingTrajectory.EstimateBytes(4, P, ScalarType.Float32, totalIds), actual);
        // The dominant term is steps × parameters × 2 × element size.
        Assert.True(TrainingTrajectory.EstimateBytes(1000, 1_000_000, ScalarType.Float64, 0) > 1000L * 1_000_000 * 2 * 8);
    }

    [Fact]
    public void FinalParameters_IsOneMoreRecordedUpdate()
    {
        using var scope = torch.NewDisposeScope();
        var (ids, rates, w, g) = Steps(3);
        using TrainingTrajectory t = TrainingTrajectory.InMemory(Meta(ScalarType.Float64));
        Write(t, ids, rates, w, g);
        double[] last = w[2];
        double[] grad = g[2];
        double[] final = t.FinalParameters(torch.CPU).data<double>().ToArray();
        for (int i = 0; i < P; i++)
        {
            Assert.Equal(last[i] - (rates[2] * (grad[i] + (0.01 * last[i]))), final[i], 12);
        }
    }

    [Fact]
    public void Open_TruncatedFile_Throws()
    {
        string path = WriteFile(3);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedIdFile_Throws()
    {
        string path = WriteFile(3);
        using (var stream = new FileStream(path + ".ids", FileMode.Open))
        {
            stream.SetLength(stream.Length - 8);
        }
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BadMagic_Throws()
    {
        string path = WriteFile(2);
        Patch(path, 0, [(byte)'X']);
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OtherVersion_Throws()
    {
        string path = WriteFile(2);
        Patch(path, 8, [9, 0, 0, 0]);
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("version 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptHeader_FailsChecksum()
    {
        string path = WriteFile(2);
        Patch(path, 16, [99]);
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_IdOutsideTheDataset_Throws()
    {
        string path = WriteFile(2);
        // First id of the first step, right after the 32-byte id-file header.
        Patch(path + ".ids", 32, BitConverter.GetBytes(500L));
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(path));
        Assert.Contains("500", e.Message, StringComparison.Ordinal);
        Assert.Contains("training set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_IdFileOfAnotherTrajectory_Throws()
    {
        string first = WriteFile(2, "a.dutraj");
        string second = WriteFile(2, "b.dutraj");
        File.Copy(second + ".ids", first + ".ids", overwrite: true);
        var e = Assert.Throws<TrajectoryFormatException>(() => TrainingTrajectory.Open(first));
        Assert.Contains("another trajectory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureMatches_OtherModelOrDataset_Throws()
    {
        using TrainingTrajectory t = TrainingTrajectory.Open(WriteFile(1));
        t.EnsureMatches("model-a", P, "data-a", 100);
        var model = Assert.Throws<TrajectoryFormatException>(() => t.EnsureMatches("model-b", P, "data-a", 100));
        Assert.Contains("another model or dataset", model.Message, StringComparison.Ordinal);
        Assert.Contains("model-b", model.Message, StringComparison.Ordinal);
        var data = Assert.Throws<TrajectoryFormatException>(() => t.EnsureMatches("model-a", P, "data-b", 100));
        Assert.Contains("data-b", data.Message, StringComparison.Ordinal);
        var count = Assert.Throws<TrajectoryFormatException>(() => t.EnsureMatches("model-a", P + 1, "data-a", 100));
        Assert.Contains("parameters", count.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_WrongParameterCountOrIds_Throws()
    {
        using var scope = torch.NewDisposeScope();
        using TrainingTrajectory t = TrainingTrajectory.InMemory(Meta(ScalarType.Float32));
        Tensor ok = torch.zeros([P]);
        Tensor wrong = torch.zeros([P + 1]);
        Assert.Throws<ArgumentException>(() => t.Append([1, 2], 0.1, wrong, ok));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Append([1, 100], 0.1, ok, ok));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Append([1], 0, ok, ok));
        using TrainingTrajectory reader = TrainingTrajectory.Open(WriteFile(1));
        Assert.Throws<InvalidOperationException>(() => reader.Append([1], 0.1, ok, ok));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_SymlinkAtThePath_IsRefusedAndNotFollowed(bool dangling)
    {
        // #13: FileMode.Create followed a link planted at --trajectory and truncated the file it named.
        string outside = Path.Combine(_directory, "outside");
        Directory.CreateDirectory(outside);
        string victim = Path.Combine(outside, "victim.bin");
        if (!dangling)
        {
            File.WriteAllText(victim, "not a trajectory");
        }
        string path = Path.Combine(_directory, "t.dutraj");
        File.CreateSymbolicLink(path, victim);

        var e = Assert.Throws<IOException>(() => TrainingTrajectory.Create(path, Meta(ScalarType.Float32)).Dispose());

        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal(victim, new FileInfo(path).LinkTarget);
        Assert.Equal(dangling ? null : "not a trajectory", File.Exists(victim) ? File.ReadAllText(victim) : null);
        Assert.Equal(dangling ? [] : ["victim.bin"], Directory.GetFiles(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void Open_ThroughALinkToATrajectory_ReadsIt()
    {
        // The size check used the link's own length (lstat), so a linked trajectory was refused as "truncated".
        string real = WriteFile(3, "real.dutraj");
        string link = Path.Combine(_directory, "linked.dutraj");
        File.CreateSymbolicLink(link, real);
        File.CreateSymbolicLink(link + ".ids", real + ".ids");
        using TrainingTrajectory reader = TrainingTrajectory.Open(link);
        Assert.Equal(3, reader.StepCount);
        File.Delete(real);
        var e = Assert.Throws<FileNotFoundException>(() => TrainingTrajectory.Open(link).Dispose());
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SymlinkOrFileWithOverwrite_ReplacesTheLinkItself()
    {
        string victim = Path.Combine(_directory, "victim.bin");
        File.WriteAllText(victim, "not a trajectory");
        string path = Path.Combine(_directory, "t.dutraj");
        File.CreateSymbolicLink(path, victim);
        File.WriteAllText(path + ".ids", "an old id file");
        var (ids, rates, w, g) = Steps(3);
        using (TrainingTrajectory writer = TrainingTrajectory.Create(path, Meta(ScalarType.Float32), overwrite: true))
        {
            Write(writer, ids, rates, w, g);
        }
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("not a trajectory", File.ReadAllText(victim));
        using TrainingTrajectory reader = TrainingTrajectory.Open(path);
        Check(reader, Meta(ScalarType.Float32), ids, rates, w, g);
    }

    [Fact]
    public void Create_ExistingFileWithoutOverwrite_IsRefusedAndKept()
    {
        string path = WriteFile(2);
        byte[] before = File.ReadAllBytes(path);
        var e = Assert.Throws<IOException>(() => TrainingTrajectory.Create(path, Meta(ScalarType.Float32)).Dispose());
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Create_UntilComplete_NothingIsAtThePath_AndAnAbandonedRecordingLeavesNothing()
    {
        string path = Path.Combine(_directory, "t.dutraj");
        // What a recording killed earlier left: its temporaries (named as the writer names them), no longer locked.
        string killed = Path.Combine(_directory, $".t.dutraj.{Guid.NewGuid():N}.tmp");
        string killedIds = Path.Combine(_directory, $".t.dutraj.ids.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(killed, "half a trajectory");
        File.WriteAllText(killedIds, "half its ids");
        var (ids, rates, w, g) = Steps(3);
        using (TrainingTrajectory writer = TrainingTrajectory.Create(path, Meta(ScalarType.Float32)))
        {
            using var scope = torch.NewDisposeScope();
            for (int t = 0; t < ids.Length; t++)
            {
                writer.Append(ids[t], rates[t], torch.tensor(w[t]), torch.tensor(g[t]));
                // A kill here leaves no file a later run would take for a recorded trajectory.
                Assert.False(File.Exists(path) || File.Exists(path + ".ids"));
            }
            Assert.False(File.Exists(killed) || File.Exists(killedIds), "the killed recording's temporaries were kept");
            // Disposed without Complete: the recording failed, and goes.
        }
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    private static TrajectoryMetadata Meta(ScalarType storage) => new("model-a", "data-a", P, 100, 0.01, 2, storage);

    private static (long[][] Ids, double[] Rates, double[][] W, double[][] G) Steps(int count)
    {
        var random = new Random(3);
        var ids = new long[count][];
        var rates = new double[count];
        var w = new double[count][];
        var g = new double[count][];
        for (int t = 0; t < count; t++)
        {
            ids[t] = new long[1 + random.Next(6)];
            for (int i = 0; i < ids[t].Length; i++)
            {
                ids[t][i] = random.Next(100);
            }
            rates[t] = 0.05 * (t + 1);
            w[t] = new double[P];
            g[t] = new double[P];
            for (int i = 0; i < P; i++)
            {
                w[t][i] = random.NextDouble() - 0.5;
                g[t][i] = random.NextDouble() - 0.5;
            }
        }
        return (ids, rates, w, g);
    }

    private static void Write(TrainingTrajectory writer, long[][] ids, double[] rates, double[][] w, double[][] g)
    {
        using var scope = torch.NewDisposeScope();
        for (int t = 0; t < ids.Length; t++)
        {
            writer.Append(ids[t], rates[t], torch.tensor(w[t]), torch.tensor(g[t]));
        }
        writer.Complete();
    }

    private static void Check(TrainingTrajectory reader, TrajectoryMetadata meta, long[][] ids, double[] rates, double[][] w, double[][] g)
    {
        Assert.Equal(meta, reader.Metadata);
        Assert.Equal(ids.Length, reader.StepCount);
        using var scope = torch.NewDisposeScope();
        for (int t = 0; t < ids.Length; t++)
        {
            Assert.Equal(ids[t], reader.BatchIds(t));
            Assert.Equal(rates[t], reader.LearningRate(t));
            double[] readW = reader.ReadParameters(t, torch.CPU, ScalarType.Float64).data<double>().ToArray();
            double[] readG = reader.ReadGradient(t, torch.CPU, ScalarType.Float64).data<double>().ToArray();
            Assert.Equal(meta.ElementType, reader.ReadParameters(t, torch.CPU).dtype);
            for (int i = 0; i < P; i++)
            {
                Assert.Equal(Stored(w[t][i], meta.ElementType), readW[i]);
                Assert.Equal(Stored(g[t][i], meta.ElementType), readG[i]);
            }
        }
        BatchSchedule schedule = reader.Schedule();
        Assert.Equal(ids.Length, schedule.StepCount);
        Assert.Equal(2, schedule.StepsPerEpoch);
        Assert.Equal(rates[^1], reader.LearningRates().At(ids.Length - 1));
        Assert.True(reader.IsInTrainingSet(ids[0][0]));
    }

    private static double Stored(double value, ScalarType type) => type == ScalarType.Float32 ? (float)value : value;

    private string WriteFile(int steps, string name = "t.dutraj")
    {
        string path = Path.Combine(_directory, name);
        var (ids, rates, w, g) = Steps(steps);
        using TrainingTrajectory writer = TrainingTrajectory.Create(path, Meta(ScalarType.Float32));
        Write(writer, ids, rates, w, g);
        return path;
    }

    private static void Patch(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }
}
