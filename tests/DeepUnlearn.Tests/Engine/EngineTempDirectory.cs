using System;
using System.IO;

namespace DeepUnlearn.Tests.Engine;

/// <summary>A fresh directory under the system temp path, deleted with its contents on dispose.</summary>
internal sealed class EngineTempDirectory : IDisposable
{
    public EngineTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "du-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
