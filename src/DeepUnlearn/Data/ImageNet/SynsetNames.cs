using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// The ILSVRC-2012 class mappings: wnid → human-readable name (the synset's WordNet words, e.g. "robin, American robin,
/// Turdus migratorius"), and, when read from the devkit, the devkit's ILSVRC2012_ID (1..1000) → wnid map that its
/// validation ground truth is written in. Note that ILSVRC2012_ID order is not sorted wnid order (ID 1 is n02119789,
/// kit fox): a ground-truth file can only be read with the devkit's own <c>meta.mat</c>.
/// </summary>
public sealed class SynsetNames
{
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<int, string> _wnidById;

    private SynsetNames(Dictionary<string, string> names, Dictionary<int, string> wnidById, string source)
    {
        _names = names;
        _wnidById = wnidById;
        Source = source;
    }

    /// <summary>The file the mapping was read from.</summary>
    public string Source { get; }

    /// <summary>wnid → name, for every synset the file lists.</summary>
    public IReadOnlyDictionary<string, string> Names => _names;

    /// <summary>ILSVRC2012_ID → wnid of the 1,000 leaf classes (empty unless read from the devkit's <c>meta.mat</c>).</summary>
    public IReadOnlyDictionary<int, string> WnidById => _wnidById;

    /// <summary>
    /// Reads <c>LOC_synset_mapping.txt</c> (the Kaggle ImageNet Object Localization Challenge's, one
    /// "<c>wnid words</c>" line per class, in sorted wnid order).
    /// </summary>
    /// <exception cref="InvalidDataException">A line does not start with a wnid; the message names the line.</exception>
    public static SynsetNames ReadLocSynsetMapping(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in InputFile.ReadAllLines(path, "synset mapping"))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string wnid = space < 0 ? line : line[..space];
            if (!ImageNetClassList.IsWnid(wnid))
            {
                throw new InvalidDataException($"{path}, line {number}: expected 'wnid words' (e.g. 'n01440764 tench, Tinca tinca'), found '{Shorten(line)}'");
            }
            names[wnid] = space < 0 ? wnid : line[(space + 1)..].Trim();
        }
        if (names.Count == 0)
        {
            throw new InvalidDataException($"{path}: lists no synsets; expected one 'wnid words' line per class");
        }
        return new SynsetNames(names, [], Path.GetFullPath(path));
    }

    /// <summary>
    /// Reads the devkit's <c>meta.mat</c> (ILSVRC2012_devkit_t12/data/meta.mat): its <c>synsets</c> struct array, whose
    /// leaf entries (<c>num_children</c> = 0) are the 1,000 classes with their <c>ILSVRC2012_ID</c>, <c>WNID</c> and
    /// <c>words</c>, read as torchvision's <c>parse_meta_mat</c> reads them.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a MAT-file, no <c>synsets</c> variable, or a field missing; the message names the file.</exception>
    public static SynsetNames ReadDevkitMeta(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyDictionary<string, MatArray> variables = MatFile.Read(path);
        if (!variables.TryGetValue("synsets", out MatArray? synsets))
        {
            throw new InvalidDataException($"{path}: has no 'synsets' variable (found: {string.Join(", ", variables.Keys.DefaultIfEmpty("none"))}); is it the ILSVRC2012 devkit's data/meta.mat?");
        }
        if (synsets.Elements is null)
        {
            throw new InvalidDataException($"{path}: 'synsets' is not a struct array");
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var wnidById = new Dictionary<int, string>();
        try
        {
            for (int i = 0; i < synsets.Elements.Count; i++)
            {
                string wnid = synsets.Field(i, "WNID").AsText().Trim();
                string words = synsets.Field(i, "words").AsText().Trim();
                names[wnid] = words;
                if (synsets.Field(i, "num_children").AsScalar() != 0)
                {
                    continue;
                }
                double id = synsets.Field(i, "ILSVRC2012_ID").AsScalar();
                if (id != Math.Floor(id) || id < 1 || id > int.MaxValue)
                {
                    throw new InvalidDataException($"synset {wnid} has ILSVRC2012_ID {id}, not a positive integer");
                }
                if (!wnidById.TryAdd((int)id, wnid))
                {
                    throw new InvalidDataException($"ILSVRC2012_ID {(int)id} is given to both {wnidById[(int)id]} and {wnid}");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (wnidById.Count == 0)
        {
            throw new InvalidDataException($"{path}: 'synsets' has no leaf classes (entries with num_children = 0)");
        }
        return new SynsetNames(names, wnidById, Path.GetFullPath(path));
    }

    /// <summary>The name of <paramref name="wnid"/>, or null when the mapping does not list it.</summary>
    public string? NameOf(string wnid) => _names.TryGetValue(wnid, out string? name) ? name : null;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
