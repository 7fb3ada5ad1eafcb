using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A real, labelled text corpus that every Debian system carries offline: the one-line package
/// descriptions of apt's <c>Packages</c> indexes (<c>/var/lib/apt/lists/*_Packages*</c>), labelled by
/// the archive section of the package (games, science, sound, ...).
/// </summary>
/// <remarks>
/// A document is one synopsis, e.g. "close gaps in genomic alignments from short reads" (section
/// science). A package listed by several indexes (a security update of a release package) counts once,
/// as first read. One document per source package and section: the binary packages built from one
/// source (a program, its data, its 40 language packs) describe the same thing in near-identical words,
/// and such families would otherwise dominate the co-occurrence statistics; the package first in ordinal
/// order represents its source. Descriptions that repeat within a section are kept once; a description
/// that occurs in two selected sections is dropped, because its label would be ambiguous. Documents are
/// ordered by (section, package) in ordinal order, so the same index and sections always give the same ids.
/// </remarks>
public static class DebianPackageIndex
{
    /// <summary>Reads the stanzas of a <c>Packages</c> index (deb822 format, already decompressed).</summary>
    /// <remarks>Stanzas without a Package, Section or Description field are skipped.</remarks>
    public static IEnumerable<DebianPackageEntry> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ParseIterator(reader);
    }

    /// <summary>
    /// The documents of the selected <paramref name="sections"/>, deduplicated as described in the remarks.
    /// </summary>
    /// <exception cref="ArgumentException">No section is given, or a section has no package.</exception>
    public static (IReadOnlyList<DebianPackageEntry> Documents, int DroppedAmbiguous, int DroppedDuplicates) BuildCorpus(IEnumerable<DebianPackageEntry> entries, IReadOnlyCollection<string> sections)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(sections);
        if (sections.Count == 0)
        {
            throw new ArgumentException("give at least one section (e.g. games,science,sound)", nameof(sections));
        }
        var wanted = new HashSet<string>(sections, StringComparer.Ordinal);
        var packages = new HashSet<string>(StringComparer.Ordinal);
        DebianPackageEntry[] selected = entries
            .Where(e => packages.Add(e.Package))
            .Where(e => wanted.Contains(e.Section) && e.Description.Length > 0)
            .OrderBy(e => e.Section, StringComparer.Ordinal)
            .ThenBy(e => e.Package, StringComparer.Ordinal)
            .ToArray();
        string[] empty = sections.Where(s => !selected.Any(e => e.Section == s)).ToArray();
        if (empty.Length > 0)
        {
            throw new ArgumentException($"no package of section(s) {string.Join(", ", empty)} in the index; check the section names (e.g. games, science, sound, graphics, net, mail)", nameof(sections));
        }
        var sectionsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (DebianPackageEntry e in selected)
        {
            string key = Key(e.Description);
            if (!sectionsOf.TryGetValue(key, out HashSet<string>? set))
            {
                sectionsOf[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(e.Section);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sources = new HashSet<(string, string)>();
        var documents = new List<DebianPackageEntry>();
        int ambiguous = 0;
        int duplicates = 0;
        foreach (DebianPackageEntry e in selected)
        {
            string key = Key(e.Description);
            if (sectionsOf[key].Count > 1)
            {
                ambiguous++;
            }
            else if (!sources.Add((e.Section, e.Source)) || !seen.Add(key))
            {
                duplicates++;
            }
            else
            {
                documents.Add(e);
            }
        }
        return (documents, ambiguous, duplicates);
    }

    /// <summary>
    /// Writes <c>corpus.txt</c> (one description per line; the line number is the document id),
    /// <c>labels.csv</c> (<c>id,label</c> with the section), its split <c>train-labels.csv</c> /
    /// <c>test-labels.csv</c> (every fifth document, ids 4, 9, 14, …, is held out for testing) and
    /// <c>packages.csv</c> (<c>id,package,source,section</c>, the provenance of each line) into
    /// <paramref name="directory"/>.
    /// </summary>
    public static void Write(IReadOnlyList<DebianPackageEntry> documents, string directory)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var corpus = new StringBuilder();
        var labels = new StringBuilder("id,label\n");
        var train = new StringBuilder("id,label\n");
        var test = new StringBuilder("id,label\n");
        var packages = new StringBuilder("id,package,source,section\n");
        for (int i = 0; i < documents.Count; i++)
        {
            DebianPackageEntry e = documents[i];
            string id = i.ToString(CultureInfo.InvariantCulture);
            corpus.Append(e.Description).Append('\n');
            labels.Append(id).Append(',').Append(e.Section).Append('\n');
            (i % 5 == 4 ? test : train).Append(id).Append(',').Append(e.Section).Append('\n');
            packages.Append(id).Append(',').Append(e.Package).Append(',').Append(e.Source).Append(',').Append(e.Section).Append('\n');
        }
        WriteAtomically(Path.Combine(directory, "corpus.txt"), corpus.ToString());
        WriteAtomically(Path.Combine(directory, "labels.csv"), labels.ToString());
        WriteAtomically(Path.Combine(directory, "train-labels.csv"), train.ToString());
        WriteAtomically(Path.Combine(directory, "test-labels.csv"), test.ToString());
        WriteAtomically(Path.Combine(directory, "packages.csv"), packages.ToString());
    }

    private static IEnumerable<DebianPackageEntry> ParseIterator(TextReader reader)
    {
        string? package = null;
        string? source = null;
        string? section = null;
        string? description = null;
        string? line;
        while (true)
        {
            line = reader.ReadLine();
            if (line is null || line.Length == 0)
            {
                if (package is not null && section is not null && description is not null)
                {
                    yield return new DebianPackageEntry(package, source ?? package, section, description);
                }
                package = source = section = description = null;
                if (line is null)
                {
                    yield break;
                }
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                // A continuation line (long description, multi-line Tag): not the synopsis.
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            string field = line[..colon];
            string value = line[(colon + 1)..].Trim();
            switch (field)
            {
                case "Package":
                    package = value;
                    break;
                case "Source":
                    int space = value.IndexOf(' ', StringComparison.Ordinal);
                    source = space >= 0 ? value[..space] : value;
                    break;
                case "Section":
                    int slash = value.LastIndexOf('/');
                    section = slash >= 0 ? value[(slash + 1)..] : value;
                    break;
                case "Description":
                    description = value;
                    break;
            }
        }
    }

    private static string Key(string description) => description.Trim().ToLowerInvariant();

    private static void WriteAtomically(string path, string text) => AtomicFile.WriteAllText(path, text);
}
