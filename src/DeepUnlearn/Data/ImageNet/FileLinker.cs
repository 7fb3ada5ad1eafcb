using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>Hard links (POSIX <c>link(2)</c>, Windows <c>CreateHardLinkW</c>), which .NET's file API lacks.</summary>
internal static partial class FileLinker
{
    /// <summary>Makes <paramref name="target"/> a hard link to <paramref name="source"/>; the failure's reason is returned, null on success.</summary>
    public static string? TryHardLink(string source, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return CreateHardLink(target, source, IntPtr.Zero) ? null : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        }
        return Link(source, target) == 0 ? null : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
    }

    /// <summary>Copies <paramref name="source"/> to a temporary name beside <paramref name="target"/>, then renames it, so the target name never holds a partial copy (<see cref="AtomicFile.Copy"/>).</summary>
    public static void CopyAtomically(string source, string target) => AtomicFile.Copy(source, target);

    /// <summary>The suffix of a copy in progress of earlier versions (left behind only by a crash; removed when the build resumes, as are <see cref="AtomicFile"/>'s temporaries).</summary>
    public const string PartialSuffix = ".partial-copy";

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("kernel32", EntryPoint = "CreateHardLinkW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLink(string fileName, string existingFileName, IntPtr securityAttributes);
}
