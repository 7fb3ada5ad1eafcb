using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// The Debian 12 loader fix (src/DeepUnlearn/Engine/LoaderFix): where the system libstdc++ lacks GLIBCXX_3.4.32, this
/// test project's output holds a patched copy of libLibTorchSharp.so that loads (this process runs TorchSharp), while
/// the NuGet cache keeps the package's file exactly; elsewhere the output file is the package's, untouched.
/// </summary>
public sealed class LoaderFixTests
{
    private static readonly string[] s_libstdcxx =
    [
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    [Fact]
    public void OutputLibrary_PatchedOnlyWhereNeeded_LoadsAndLeavesThePackageUntouched()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        byte[] output = File.ReadAllBytes(Path.Combine(native, "libLibTorchSharp.so"));
        byte[] packaged = PackagedLibrary();
        string cached = Path.Combine(NuGetPackages(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string systemLibrary = s_libstdcxx.First(File.Exists);

        // This process loaded TorchSharp's native library from the output folder.
        TorchRuntime.EnsureInitialized();
        using (torch.Tensor probe = torch.ones(2))
        {
            Assert.Equal(2f, probe.sum().item<float>());
        }

        Assert.Equal(packaged, File.ReadAllBytes(cached));
        Assert.True(Contains(packaged, "GLIBCXX_3.4.32"), "TorchSharp 0.107's library asks for GLIBCXX_3.4.32");
        if (Contains(File.ReadAllBytes(systemLibrary), "GLIBCXX_3.4.32"))
        {
            Assert.Equal(packaged, output);
            Assert.False(File.Exists(Path.Combine(native, "libdu_glibcxx_compat.so")));
        }
        else
        {
            Assert.NotEqual(packaged, output);
            Assert.True(Contains(output, "libdu_glibcxx_compat.so"), "the patched copy needs the compat library");
            Assert.True(File.Exists(Path.Combine(native, "libdu_glibcxx_compat.so")));
        }
    }

    private static byte[] PackagedLibrary()
    {
        string package = Path.Combine(NuGetPackages(), "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg");
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry entry = zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")
            ?? throw new InvalidOperationException($"{package} has no runtimes/linux-x64/native/libLibTorchSharp.so");
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string NuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;
}
