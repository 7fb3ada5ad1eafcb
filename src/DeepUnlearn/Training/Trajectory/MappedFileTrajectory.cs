using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Text;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Win32.SafeHandles;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// A trajectory in a memory-mapped file. Layout (little-endian):
/// <code>
/// header (4096 bytes): magic "DUTRAJ\r\n", int32 version, int32 dtype (libtorch code: 6 float32, 7 float64),
///   int64 parameter count P, int64 step count, int64 dataset size, int64 steps per epoch, float64 weight
///   decay λ, 16-byte run id, int32 + UTF-8 model identity, int32 + UTF-8 dataset identity, zero padding,
///   and at byte 4088 the FNV-1a 64 hash of bytes [0, 4088).
/// records (fixed size, one per step): float64 η_t, int64 offset of the step's ids in the id file (in ids),
///   int64 id count, then w_t and g_t (P elements each).
/// &lt;path&gt;.ids: magic "DUTRIDS\n", int32 version, int32 reserved, the same 16-byte run id, then int64 ids.
/// </code>
/// The step count is written after each record. A new trajectory is recorded into hidden temporaries beside the path
/// (<see cref="AtomicFile.TemporaryPathFor"/>, created exclusively, so a symlink planted at either name is never written
/// through) and renamed to the path and <c>path.ids</c> by <see cref="TrainingTrajectory.Complete"/>: a recording that fails or is killed
/// leaves nothing at the path that could be replayed as if it were whole, and its temporaries are removed by the next
/// recording of the same path.
/// </summary>
internal sealed unsafe class MappedFileTrajectory : TrainingTrajectory
{
    public const int HeaderBytes = 4096;
    public const int IdsHeaderBytes = 32;
    public const int Version = 1;
    private const int RecordPrefixBytes = 24;
    private const int ChecksumOffset = HeaderBytes - 8;
    private const int StepCountOffset = 24;

    private static ReadOnlySpan<byte> Magic => "DUTRAJ\r\n"u8;

    private static ReadOnlySpan<byte> IdsMagic => "DUTRIDS\n"u8;

    private readonly string _path;
    private readonly string? _temporary;
    private readonly string? _idsTemporary;
    private readonly bool _overwrite;
    private readonly bool _readOnly;
    private readonly long _recordBytes;
    private readonly byte[] _header;
    private readonly FileStream? _stream;
    private readonly FileStream? _idsStream;
    private long[][] _ids;
    private double[] _rates;
    private int _stepCount;
    private long _idsWritten;
    private long _capacity;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _base;
    private bool _disposed;
    private bool _completed;

    private MappedFileTrajectory(
        string path, TrajectoryMetadata metadata, bool readOnly, byte[] header, FileStream? stream, FileStream? idsStream,
        long[][] ids, double[] rates, long capacity, string? temporary = null, string? idsTemporary = null, bool overwrite = false)
        : base(metadata)
    {
        _path = path;
        _temporary = temporary;
        _idsTemporary = idsTemporary;
        _overwrite = overwrite;
        _readOnly = readOnly;
        _header = header;
        _stream = stream;
        _idsStream = idsStream;
        _ids = ids;
        _rates = rates;
        _stepCount = ids.Length;
        _capacity = capacity;
        _recordBytes = RecordBytes(metadata.ParameterCount, metadata.ElementType);
        foreach (long[] batch in ids)
        {
            _idsWritten += batch.Length;
        }
    }

    public override int StepCount => _stepCount;

    public override bool IsReadOnly => _readOnly;

    public override string Location => _path;

    private long VectorBytes => Metadata.ParameterCount * Metadata.ElementType.ElementSize();

    public static long RecordBytes(long parameterCount, ScalarType elementType)
    {
        long bytes = RecordPrefixBytes + (2 * parameterCount * elementType.ElementSize());
        return (bytes + 7) / 8 * 8;
    }

    public static string IdsPath(string path) => path + ".ids";

    public static MappedFileTrajectory CreateFile(string path, TrajectoryMetadata metadata, int expectedSteps, bool overwrite = false)
    {
        if ((long)metadata.ParameterCount * metadata.ElementType.ElementSize() > int.MaxValue)
        {
            throw new ArgumentException($"a parameter vector of {metadata.ParameterCount} elements exceeds the 2 GiB record limit of the file format");
        }
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        Directory.CreateDirectory(directory);
        foreach (string target in new[] { full, IdsPath(full) })
        {
            var entry = new FileInfo(target);
            if (entry.LinkTarget is string link)
            {
                if (!overwrite)
                {
                    throw new IOException($"'{target}' is a symbolic link (to {link}); a trajectory is never written through a link: remove it or name another trajectory file");
                }
            }
            else if (Directory.Exists(target))
            {
                throw new IOException($"'{target}' is a folder; name a trajectory file");
            }
            else if (entry.Exists && !overwrite)
            {
                throw new IOException($"'{target}' already exists; a trajectory is recorded into a new file only: remove it or name another trajectory file");
            }
        }
        RemoveAbandonedTemporaries(full);
        byte[] runId = Guid.NewGuid().ToByteArray();
        byte[] header = BuildHeader(metadata, runId);
        // Exclusive creation of fresh names (O_EXCL: never an existing file or a planted link); renamed by Complete.
        string temporary = AtomicFile.TemporaryPathFor(full);
        string idsTemporary = AtomicFile.TemporaryPathFor(IdsPath(full));
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        FileStream? idsStream = null;
        try
        {
            stream.Write(header);
            idsStream = new FileStream(idsTemporary, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            Span<byte> idsHeader = stackalloc byte[IdsHeaderBytes];
            idsHeader.Clear();
            IdsMagic.CopyTo(idsHeader);
            BinaryPrimitives.WriteInt32LittleEndian(idsHeader[8..], Version);
            runId.CopyTo(idsHeader[16..]);
            idsStream.Write(idsHeader);
            idsStream.Flush();
            var trajectory = new MappedFileTrajectory(full, metadata, false, header, stream, idsStream, [], [], 0, temporary, idsTemporary, overwrite);
            trajectory.Map(Math.Max(expectedSteps, 1));
            return trajectory;
        }
        catch
        {
            idsStream?.Dispose();
            stream.Dispose();
            DeleteQuietly(temporary);
            DeleteQuietly(idsTemporary);
            throw;
        }
    }

    /// <summary>
    /// Publishes the recording: trims the file to the recorded steps, flushes both files to disk and renames them to
    /// the path and <c>path.ids</c> (the batch ids first: the trajectory file is what marks a complete recording). The
    /// trajectory stays readable; no step can be appended any more.
    /// </summary>
    /// <exception cref="IOException">A file appeared at the path while recording and the caller did not allow replacing it.</exception>
    private protected override void CompleteCore()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_readOnly || _completed)
        {
            return;
        }
        Unmap();
        _stream!.SetLength(HeaderBytes + (_stepCount * _recordBytes));
        _stream.Flush(flushToDisk: true);
        _idsStream!.Flush(flushToDisk: true);
        string ids = IdsPath(_path);
        // rename(2) replaces a link at the target itself; without overwrite, a name taken meanwhile is an error.
        File.Move(_idsTemporary!, ids, _overwrite);
        try
        {
            File.Move(_temporary!, _path, _overwrite);
        }
        catch
        {
            if (!_overwrite)
            {
                // Ours alone (the name was free): without its trajectory it would only be in the way.
                DeleteQuietly(ids);
            }
            throw;
        }
        _completed = true;
        Map(_stepCount);
    }
    public static MappedFileTrajectory OpenFile(string path)
    {
        var entry = new FileInfo(path);
        if (entry.LinkTarget is string link)
        {
            // Reading through a link is the user's choice; its own size (lstat) is not the trajectory's.
            entry = entry.ResolveLinkTarget(returnFinalTarget: true) as FileInfo
                ?? throw new FileNotFoundException($"no trajectory file at {path}: it is a symbolic link to {link}, which is not a file", path);
            if (!entry.Exists)
            {
                throw new FileNotFoundException($"no trajectory file at {path}: it is a symbolic link to {link}, which does not exist (a trajectory is never recorded through a link)", path);
            }
        }
        if (!entry.Exists)
        {
            throw new FileNotFoundException($"no trajectory file at {path}", path);
        }
        long length = entry.Length;
        if (length < HeaderBytes)
        {
            throw new TrajectoryFormatException($"trajectory {path} is truncated: {length} bytes, shorter than its {HeaderBytes}-byte header");
        }
        byte[] header = new byte[HeaderBytes];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            stream.ReadExactly(header);
        }
        TrajectoryMetadata metadata = ParseHeader(path, header, out long steps, out ReadOnlySpan<byte> runId);
        long recordBytes = RecordBytes(metadata.ParameterCount, metadata.ElementType);
        long needed = HeaderBytes + (steps * recordBytes);
        if (length < needed)
        {
            throw new TrajectoryFormatException(
                $"trajectory {path} is truncated: {steps} steps of {recordBytes} bytes need {needed} bytes, the file has {length}");
        }
        long[] idCounts = new long[steps];
        double[] rates = new double[steps];
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            long expectedOffset = 0;
            for (long t = 0; t < steps; t++)
            {
                long at = HeaderBytes + (t * recordBytes);
                double rate = view.ReadDouble(at);
                long offset = view.ReadInt64(at + 8);
                long count = view.ReadInt64(at + 16);
                if (!double.IsFinite(rate) || rate <= 0)
                {
                    throw new TrajectoryFormatException($"trajectory {path} is corrupt: step {t} has learning rate {rate}");
                }
                if (offset != expectedOffset || count < 1 || count > metadata.DatasetSize)
                {
                    throw new TrajectoryFormatException(
                        $"trajectory {path} is corrupt: step {t} claims ids [{offset}, {offset}+{count}) where [{expectedOffset}, …) with at least one id was expected");
                }
                rates[t] = rate;
                idCounts[t] = count;
                expectedOffset += count;
            }
            long[][] ids = ReadIds(path, runId, idCounts, metadata.DatasetSize);
            var trajectory = new MappedFileTrajectory(path, metadata, true, header, null, null, ids, rates, steps);
            trajectory.Attach(map, view);
            return trajectory;
        }
        catch
        {
            view?.Dispose();
            map?.Dispose();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Unmap();
        _stream?.Dispose();
        _idsStream?.Dispose();
        if (!_readOnly && !_completed)
        {
            // Never completed (the recording failed or was abandoned): nothing of it is published.
            DeleteQuietly(_temporary!);
            DeleteQuietly(_idsTemporary!);
        }
    }

    private protected override long[] BatchIdsCore(int step) => (long[])_ids[step].Clone();

    private protected override double LearningRateCore(int step) => _rates[step];

    private protected override Tensor ReadCore(int step, bool gradient, Device device, ScalarType dtype)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long at = HeaderBytes + (step * _recordBytes) + RecordPrefixBytes + (gradient ? VectorBytes : 0);
        var bytes = new ReadOnlySpan<byte>(_base + at, checked((int)VectorBytes));
        using var scope = torch.NewDisposeScope();
        Tensor cpu = torch.empty([Metadata.ParameterCount], Metadata.ElementType);
        bytes.CopyTo(cpu.bytes);
        Tensor result = device.type == DeviceType.CPU && dtype == Metadata.ElementType ? cpu : cpu.to(dtype, device);
        return result.MoveToOuterDisposeScope();
    }

    private protected override void AppendCore(ReadOnlySpan<long> batchIds, double learningRate, Tensor parameters, Tensor gradient)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException($"trajectory {_path} is complete; create a new one to record more steps");
        }
        if (_stepCount == _capacity)
        {
            Map(Math.Max(_capacity * 2, 16));
        }
        long at = HeaderBytes + (_stepCount * _recordBytes);
        var prefix = new Span<byte>(_base + at, RecordPrefixBytes);
        BinaryPrimitives.WriteDoubleLittleEndian(prefix, learningRate);
        BinaryPrimitives.WriteInt64LittleEndian(prefix[8..], _idsWritten);
        BinaryPrimitives.WriteInt64LittleEndian(prefix[16..], batchIds.Length);
        int vectorBytes = checked((int)VectorBytes);
        using (var scope = torch.NewDisposeScope())
        {
            Tensor w = parameters.detach().reshape(Metadata.ParameterCount).to(Metadata.ElementType, torch.CPU).contiguous();
            w.bytes.CopyTo(new Span<byte>(_base + at + RecordPrefixBytes, vectorBytes));
            Tensor g = gradient.detach().reshape(Metadata.ParameterCount).to(Metadata.ElementType, torch.CPU).contiguous();
            g.bytes.CopyTo(new Span<byte>(_base + at + RecordPrefixBytes + vectorBytes, vectorBytes));
        }
        byte[] idBytes = new byte[batchIds.Length * sizeof(long)];
        for (int i = 0; i < batchIds.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(idBytes.AsSpan(i * sizeof(long)), batchIds[i]);
        }
        _idsStream!.Write(idBytes);
        _idsStream.Flush();

        long[][] ids = _ids;
        Array.Resize(ref ids, _stepCount + 1);
        ids[_stepCount] = batchIds.ToArray();
        _ids = ids;
        double[] rates = _rates;
        Array.Resize(ref rates, _stepCount + 1);
        rates[_stepCount] = learningRate;
        _rates = rates;
        _idsWritten += batchIds.Length;
        _stepCount++;
        CommitHeader();
    }

    private static byte[] BuildHeader(TrajectoryMetadata metadata, byte[] runId)
    {
        byte[] header = new byte[HeaderBytes];
        Span<byte> h = header;
        Magic.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], (int)metadata.ElementType);
        BinaryPrimitives.WriteInt64LittleEndian(h[16..], metadata.ParameterCount);
        BinaryPrimitives.WriteInt64LittleEndian(h[StepCountOffset..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(h[32..], metadata.DatasetSize);
        BinaryPrimitives.WriteInt64LittleEndian(h[40..], metadata.StepsPerEpoch);
        BinaryPrimitives.WriteDoubleLittleEndian(h[48..], metadata.WeightDecay);
        runId.CopyTo(h[56..]);
        int at = 72;
        at = WriteString(h, at, metadata.ModelIdentity);
        WriteString(h, at, metadata.DatasetIdentity);
        BinaryPrimitives.WriteUInt64LittleEndian(h[ChecksumOffset..], Fnv1a(h[..ChecksumOffset]));
        return header;
    }

    private static int WriteString(Span<byte> header, int at, string value)
    {
        int length = Encoding.UTF8.GetBytes(value, header[(at + 4)..ChecksumOffset]);
        BinaryPrimitives.WriteInt32LittleEndian(header[at..], length);
        return at + 4 + length;
    }

    private static TrajectoryMetadata ParseHeader(string path, byte[] header, out long steps, out ReadOnlySpan<byte> runId)
    {
        ReadOnlySpan<byte> h = header;
        if (!h[..8].SequenceEqual(Magic))
        {
            throw new TrajectoryFormatException($"{path} is not a DeepUnlearn trajectory file (bad magic; expected \"DUTRAJ\\r\\n\")");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        if (version != Version)
        {
            throw new TrajectoryFormatException($"trajectory {path} has format version {version}; this build reads version {Version}");
        }
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(h[ChecksumOffset..]);
        if (stored != Fnv1a(h[..ChecksumOffset]))
        {
            throw new TrajectoryFormatException($"trajectory {path} is corrupt: the header checksum does not match");
        }
        var dtype = (ScalarType)BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
        long parameters = BinaryPrimitives.ReadInt64LittleEndian(h[16..]);
        steps = BinaryPrimitives.ReadInt64LittleEndian(h[StepCountOffset..]);
        long datasetSize = BinaryPrimitives.ReadInt64LittleEndian(h[32..]);
        long stepsPerEpoch = BinaryPrimitives.ReadInt64LittleEndian(h[40..]);
        double weightDecay = BinaryPrimitives.ReadDoubleLittleEndian(h[48..]);
        runId = h.Slice(56, 16);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64) || parameters < 1 || steps < 0 || steps > int.MaxValue
            || datasetSize < 1 || stepsPerEpoch < 1 || !double.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new TrajectoryFormatException(
                $"trajectory {path} is corrupt: dtype {dtype}, {parameters} parameters, {steps} steps, dataset size {datasetSize}, {stepsPerEpoch} steps per epoch, weight decay {weightDecay}");
        }
        int at = 72;
        string model = ReadString(path, h, ref at);
        string dataset = ReadString(path, h, ref at);
        try
        {
            return new TrajectoryMetadata(model, dataset, parameters, datasetSize, weightDecay, stepsPerEpoch, dtype);
        }
        catch (ArgumentException e)
        {
            throw new TrajectoryFormatException($"trajectory {path} is corrupt: {e.Message}", e);
        }
    }

    private static string ReadString(string path, ReadOnlySpan<byte> header, ref int at)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[at..]);
        if (length < 0 || at + 4 + length > ChecksumOffset)
        {
            throw new TrajectoryFormatException($"trajectory {path} is corrupt: an identity string of {length} bytes at offset {at}");
        }
        string value = Encoding.UTF8.GetString(header.Slice(at + 4, length));
        at += 4 + length;
        return value;
    }

    private static long[][] ReadIds(string path, ReadOnlySpan<byte> runId, long[] counts, long datasetSize)
    {
        string idsPath = IdsPath(path);
        if (!File.Exists(idsPath))
        {
            throw new TrajectoryFormatException($"trajectory {path} has no batch-id file {idsPath}");
        }
        using var stream = new FileStream(idsPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }
        long needed = IdsHeaderBytes + (total * sizeof(long));
        if (stream.Length < needed)
        {
            throw new TrajectoryFormatException($"batch-id file {idsPath} is truncated: {counts.Length} steps need {needed} bytes, the file has {stream.Length}");
        }
        Span<byte> header = stackalloc byte[IdsHeaderBytes];
        stream.ReadExactly(header);
        if (!header[..8].SequenceEqual(IdsMagic) || BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != Version)
        {
            throw new TrajectoryFormatException($"{idsPath} is not a DeepUnlearn batch-id file of version {Version}");
        }
        if (!header.Slice(16, 16).SequenceEqual(runId))
        {
            throw new TrajectoryFormatException($"batch-id file {idsPath} belongs to another trajectory (run ids differ)");
        }
        var result = new long[counts.Length][];
        byte[] buffer = [];
        for (int t = 0; t < counts.Length; t++)
        {
            int count = checked((int)counts[t]);
            if (buffer.Length < count * sizeof(long))
            {
                buffer = new byte[count * sizeof(long)];
            }
            stream.ReadExactly(buffer, 0, count * sizeof(long));
            var ids = new long[count];
            for (int i = 0; i < count; i++)
            {
                long id = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i * sizeof(long)));
                if (id < 0 || id >= datasetSize)
                {
                    throw new TrajectoryFormatException(
                        $"trajectory {path}: step {t} holds sample id {id}, which is not in the training set's id range [0, {datasetSize})");
                }
                ids[i] = id;
            }
            result[t] = ids;
        }
        return result;
    }

    // Temporaries of recordings of the same path that were killed: those no live writer holds (a writer keeps a lock on
    // its files, so an exclusive open fails on them) are deleted; they can be as large as the trajectory.
    private static void RemoveAbandonedTemporaries(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        string name = Path.GetFileName(path);
        foreach (string file in Directory.EnumerateFiles(directory, $".{name}.*.tmp"))
        {
            string fileName = Path.GetFileName(file);
            string rest = fileName[(name.Length + 2)..];
            if (!AtomicFile.IsTemporaryName(fileName) || (rest.Length != 36 && !(rest.StartsWith("ids.", StringComparison.Ordinal) && rest.Length == 40)))
            {
                continue;
            }
            try
            {
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
                File.Delete(file);
            }
            catch (IOException)
            {
                // Held by a recording still running.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove.
            }
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    private void CommitHeader()
    {
        Span<byte> h = _header;
        BinaryPrimitives.WriteInt64LittleEndian(h[StepCountOffset..], _stepCount);
        BinaryPrimitives.WriteUInt64LittleEndian(h[ChecksumOffset..], Fnv1a(h[..ChecksumOffset]));
        h.CopyTo(new Span<byte>(_base, HeaderBytes));
    }

    private void Map(long capacity)
    {
        Unmap();
        long length = HeaderBytes + (capacity * _recordBytes);
        _stream!.SetLength(length);
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(_stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor view;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        }
        catch
        {
            map.Dispose();
            throw;
        }
        _capacity = capacity;
        Attach(map, view);
    }

    private void Attach(MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        _map = map;
        _view = view;
        byte* pointer = null;
        SafeMemoryMappedViewHandle handle = view.SafeMemoryMappedViewHandle;
        handle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    private void Unmap()
    {
        if (_view is not null)
        {
            if (!_readOnly)
            {
                _view.Flush();
            }
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _view = null;
            _base = null;
        }
        _map?.Dispose();
        _map = null;
    }
}
