using System;
using System.Collections.Generic;
using System.IO;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// A list of ImageNet classes by WordNet id (wnid, <c>n</c> and eight digits), in the order the list gives them,
/// with where it came from. <see cref="ImageNet100"/> is the 100-class subset of the CMC / FAMR line of work.
/// </summary>
public sealed class ImageNetClassList
{
    private const string ResourceName = "DeepUnlearn.Data.ImageNet.imagenet100.txt";

    private static readonly Lazy<ImageNetClassList> s_imageNet100 = new(LoadImageNet100);

    private readonly string[] _wnids;

    private ImageNetClassList(string[] wnids, string source)
    {
        _wnids = wnids;
        Source = source;
    }

    /// <summary>
    /// ImageNet-100 as defined by Tian, Krishnan and Isola, "Contrastive Multiview Coding" (ECCV 2020): the file
    /// <c>imagenet100.txt</c> of their reference code, github.com/HobbitLong/CMC, commit bc687a26 ("upload imagenet100
    /// list", 22 May 2020; BSD-2-Clause), shipped unchanged as a resource (SHA-256 79f3f155…1397). The FAMR paper
    /// (arXiv 2506.14515) forgets classes of "ImageNet-100" without printing its list; this is the list that name
    /// denotes in the contrastive-learning and unlearning literature that follows CMC.
    /// </summary>
    public static ImageNetClassList ImageNet100 => s_imageNet100.Value;

    /// <summary>The wnids, in list order (the output's class order is the sorted one, as ImageFolder sorts folders).</summary>
    public IReadOnlyList<string> Wnids => _wnids;

    /// <summary>Where the list came from (a citation or a file path), for manifests and messages.</summary>
    public string Source { get; }

    /// <summary>The number of classes.</summary>
    public int Count => _wnids.Length;

    /// <summary>Reads a class list file: one wnid per line; blank lines and lines starting with <c>#</c> are ignored.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a wnid, a wnid repeats, or the file lists none; the message names the line.</exception>
    public static ImageNetClassList ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"class list '{path}' does not exist; expected one ImageNet wnid (e.g. n01558993) per line", path);
        }
        return Parse(InputFile.ReadAllLines(path, "class list"), Path.GetFullPath(path));
    }

    /// <summary>Parses class-list lines (see <see cref="ReadFile"/>); <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">A line is not a wnid, a wnid repeats, or there are none.</exception>
    public static ImageNetClassList Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var wnids = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (!IsWnid(line))
            {
                throw new InvalidDataException($"{source}, line {number}: '{line}' is not an ImageNet wnid (expected 'n' and eight digits, e.g. n01558993)");
            }
            if (seen.TryGetValue(line, out int first))
            {
                throw new InvalidDataException($"{source}, line {number}: {line} is listed twice (first on line {first})");
            }
            seen.Add(line, number);
            wnids.Add(line);
        }
        if (wnids.Count == 0)
        {
            throw new InvalidDataException($"{source}: lists no classes; expected one ImageNet wnid (e.g. n01558993) per line");
        }
        return new ImageNetClassList([.. wnids], source);
    }

    /// <summary>True when <paramref name="text"/> has the form of a WordNet id: <c>n</c> followed by eight digits.</summary>
    public static bool IsWnid(string text) =>
        text is { Length: 9 } && text[0] == 'n' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static ImageNetClassList LoadImageNet100()
    {
        using Stream stream = typeof(ImageNetClassList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the resource {ResourceName} is missing from {typeof(ImageNetClassList).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is string line)
        {
            lines.Add(line);
        }
        ImageNetClassList list = Parse(lines, "CMC imagenet100.txt (Tian et al., ECCV 2020; github.com/HobbitLong/CMC@bc687a26)");
        if (list.Count != 100)
        {
            throw new InvalidOperationException($"the ImageNet-100 resource lists {list.Count} classes, not 100");
        }
        return list;
    }
}
