using System;
using System.IO;
using System.Text;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

/// <summary>
/// <see cref="InputFile"/>: the limit is exact (a file of the limit's size reads, one byte more does not), holds for
/// devices that report no size, names the file, the limit and the variable that raises it, and the variable raises
/// (never lowers) it. The test class sets the process's environment; DeepUnlearn.Tests runs serially.
/// </summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(InputFile.LimitVariable);

    public InputFileTests() => Environment.SetEnvironmentVariable(InputFile.LimitVariable, null);

    public void Dispose() => Environment.SetEnvironmentVariable(InputFile.LimitVariable, _saved);

    [Fact]
    public void ReadAllText_FileOfExactlyTheLimit_Reads_OneByteMore_IsRefusedNamingFileLimitAndVariable()
    {
        using var dir = new TempDirectory();
        string exact = dir.Combine("exact.txt");
        File.WriteAllText(exact, new string('a', 1000));
        Assert.Equal(1000, InputFile.ReadAllText(exact, "id file", 1000).Length);

        string over = dir.Combine("over.txt");
        File.WriteAllText(over, new string('a', 1001));
        var e = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllText(over, "id file", 1000));
        Assert.Contains($"id file '{over}' is larger than the limit of 1,000 bytes", e.Message);
        Assert.Contains("it holds 1,001 bytes", e.Message);
        Assert.Contains($"set {InputFile.LimitVariable}", e.Message);
    }

    [Fact]
    public void OpenRead_DeviceWithoutASize_IsCutOffAtTheLimit()
    {
        using Stream stream = InputFile.OpenRead("/dev/zero", "--config", 1 << 20);
        var buffer = new byte[1 << 16];
        long total = 0;
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                total += read;
            }
        });
        Assert.Equal(1L << 20, total);
        Assert.Contains("'/dev/zero' is larger than the limit of 1,048,576 bytes (1 MiB): it delivers more", e.Message);
    }

    [Fact]
    public void LimitVariable_RaisesTheLimit_NeverLowersIt_AndAnInvalidValueIsAnError()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("ids.txt");
        File.WriteAllBytes(file, Encoding.ASCII.GetBytes(new string('7', (1 << 20) + 10)));
        Assert.Throws<InvalidDataException>(() => InputFile.ReadAllBytes(file, "id file", 1 << 20));

        Environment.SetEnvironmentVariable(InputFile.LimitVariable, "2");
        Assert.Equal((1 << 20) + 10, InputFile.ReadAllBytes(file, "id file", 1 << 20).Length);
        Assert.Equal(64L << 20, InputFile.EffectiveLimit(64L << 20));

        foreach (string bad in new[] { "0", "-1", "abc", "1.5", "99999999999" })
        {
            Environment.SetEnvironmentVariable(InputFile.LimitVariable, bad);
            var e = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllText(file, "id file"));
            Assert.Contains($"{InputFile.LimitVariable}='{bad}' is not valid", e.Message);
        }
    }

    [Fact]
    public void ReadAllLines_MissingFileAndDirectory_SayWhatIsWrong()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<FileNotFoundException>(() => InputFile.ReadAllLines(dir.Combine("none.txt"), "labels file"));
        Assert.Contains("labels file", missing.Message);
        var folder = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllLines(dir.Path, "labels file"));
        Assert.Contains("is a directory; give a file", folder.Message);
        File.WriteAllText(dir.Combine("lines.txt"), "a\r\nb\n");
        Assert.Equal(["a", "b"], InputFile.ReadAllLines(dir.Combine("lines.txt"), "labels file"));
    }
}
