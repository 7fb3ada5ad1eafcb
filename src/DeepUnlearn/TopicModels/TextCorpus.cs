using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Data;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Raw documents with stable ids. A text file holds one document per line (id = 0-based line number;
/// blank lines are documents without words, so later ids do not shift); a folder holds one document per
/// <c>.txt</c> file (id = index of the file in ordinal name order). Files must be UTF-8.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The largest corpus file read (1 GiB; raised by <see cref="InputFile.LimitVariable"/>).</summary>
    public const long MaxFileBytes = 1L << 30;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a corpus from in-memory documents; document <c>i</c> gets id <c>i</c>.</summary>
    public TextCorpus(IReadOnlyList<string> documents, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (names is not null && names.Count != documents.Count)
        {
            throw new ArgumentException($"got {names.Count} names for {documents.Count} documents; give one name per document", nameof(names));
        }
        Documents = documents;
        Names = names ?? Enumerable.Range(0, documents.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The documents; the index is the document id.</summary>
    public IReadOnlyList<string> Documents { get; }

    /// <summary>A name per document: the line number (0-based) or the file name.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The number of documents.</summary>
    public int Count => Documents.Count;

    /// <summary>
    /// Reads a corpus from <paramref name="path"/>: a text file (one document per line) or a folder of
    /// <c>.txt</c> files (one document each, ordered by file name).
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file or folder holds no documents, is not UTF-8 text, or contains NUL bytes.</exception>
    public static TextCorpus Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            string[] files = Directory.GetFiles(path, "*.txt", SearchOption.TopDirectoryOnly);
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                throw new InvalidDataException($"corpus folder '{path}' holds no .txt files; give a folder with one .txt file per document, or a text file with one document per line");
            }
            var texts = new string[files.Length];
            for (int i = 0; i < files.Length; i++)
            {
                texts[i] = ReadText(files[i]);
            }
            return new TextCorpus(texts, files.Select(Path.GetFileName).Select(n => n!).ToArray());
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"corpus '{path}' not found; give a text file with one document per line or a folder of .txt files", path);
        }
        string text = ReadText(path);
        if (text.Length == 0)
        {
            throw new InvalidDataException($"corpus file '{path}' is empty; it must hold one document per line");
        }
        var lines = new List<string>();
        using (var reader = new StringReader(text))
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lines.Add(line);
            }
        }
        return new TextCorpus(lines);
    }

    private static string ReadText(string file)
    {
        string text;
        try
        {
            text = InputFile.ReadAllText(file, "corpus file", MaxFileBytes, s_strictUtf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"corpus file '{file}' is not valid UTF-8 text ({e.Message}); convert it to UTF-8", e);
        }
        int nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw new InvalidDataException($"corpus file '{file}' contains a NUL byte at character {nul}; it looks binary, not text");
        }
        return text;
    }
}
