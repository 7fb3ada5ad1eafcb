using System;
using System.IO;
using System.Linq;
using DeepUnlearn.TopicModels;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class DebianPackageIndexTests
{
    private const string Index = """
        Package: 0ad
        Version: 0.0.26-3
        Description: Real-time strategy game of ancient warfare
        Tag: game::strategy, interface::graphical,
         x11::application
        Section: games

        Package: 0ad-data
        Source: 0ad (0.0.26-1)
        Description: Real-time strategy game of ancient warfare (data files)
        Section: games

        Package: abacas
        Description: close gaps in genomic alignments from short reads
        Section: science

        Package: fonts-x
        Description: shared words
        Section: contrib/fonts

        Package: tool-x
        Description: Shared words
        Section: science

        Package: mailx
        Description: a mail reader
        Section: mail

        Package: broken
        Description: no section

        Package: abacas
        Description: a later copy of abacas from another index
        Section: science
        """;

    [Fact]
    public void Parse_Stanzas_ReadsNameSourceSectionAndSynopsisOnly()
    {
        DebianPackageEntry[] entries = DebianPackageIndex.Parse(new StringReader(Index)).ToArray();
        Assert.Equal(7, entries.Length);
        Assert.Equal(new DebianPackageEntry("0ad", "0ad", "games", "Real-time strategy game of ancient warfare"), entries[0]);
        Assert.Equal(new DebianPackageEntry("0ad-data", "0ad", "games", "Real-time strategy game of ancient warfare (data files)"), entries[1]);
        Assert.Equal("fonts", entries[3].Section);
    }

    [Fact]
    public void BuildCorpus_OnePerSourceAndPackage_AmbiguousDropped_OrderedBySectionThenPackage()
    {
        var entries = DebianPackageIndex.Parse(new StringReader(Index)).ToArray();
        (var documents, int ambiguous, int duplicates) = DebianPackageIndex.BuildCorpus(entries, ["games", "science", "fonts", "mail"]);
        // 0ad-data shares 0ad's source; "shared words" is in fonts and science; abacas counts once.
        Assert.Equal(new[] { "0ad", "mailx", "abacas" }, documents.Select(d => d.Package));
        Assert.Equal(new[] { "games", "science", "mail" }.Order(StringComparer.Ordinal), documents.Select(d => d.Section).Order(StringComparer.Ordinal));
        Assert.Equal(2, ambiguous);
        Assert.Equal(1, duplicates);
        Assert.Equal("close gaps in genomic alignments from short reads", documents.Single(d => d.Package == "abacas").Description);
        var missing = Assert.Throws<ArgumentException>(() => DebianPackageIndex.BuildCorpus(entries, ["games", "nosuchsection"]));
        Assert.Contains("nosuchsection", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FilesLoadAsCorpusAndLabels()
    {
        var entries = DebianPackageIndex.Parse(new StringReader(Index)).ToArray();
        (var documents, _, _) = DebianPackageIndex.BuildCorpus(entries, ["games", "science", "mail"]);
        string dir = Path.Combine(Path.GetTempPath(), "du-debian-" + Guid.NewGuid().ToString("N"));
        try
        {
            DebianPackageIndex.Write(documents, dir);
            TextCorpus corpus = TextCorpus.Load(Path.Combine(dir, "corpus.txt"));
            TopicLabels labels = TopicLabels.Load(Path.Combine(dir, "labels.csv"), corpus.Count);
            Assert.Equal(documents.Count, corpus.Count);
            Assert.Equal(documents.Select(d => d.Description), corpus.Documents);
            Assert.Equal(documents.Select(d => d.Section), labels.Labels.Select(l => labels.ClassNames[l]));
            Assert.Equal("id,package,source,section", File.ReadLines(Path.Combine(dir, "packages.csv")).First());
            TopicLabels train = TopicLabels.Load(Path.Combine(dir, "train-labels.csv"), corpus.Count);
            Assert.Equal(documents.Count, train.LabelledIds().Length + File.ReadLines(Path.Combine(dir, "test-labels.csv")).Count() - 1);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
