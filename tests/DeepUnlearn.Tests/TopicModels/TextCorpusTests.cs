using System;
using System.IO;
using System.Text;
using DeepUnlearn.TopicModels;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class TextCorpusTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "du-corpus-" + Guid.NewGuid().ToString("N"));

    public TextCorpusTests()
    {
        Directory.CreateDirectory(_dir);
    }

    [Fact]
    public void Tokenize_LowercasesSplitsOnNonAlphanumericDropsShortAndStopWords()
    {
        var tokens = TextTokenizer.Default.Tokenize("The Quick-brown fox, a 3D model; it's x2 and THE end!");
        Assert.Equal(["quick", "brown", "fox", "3d", "model", "x2", "end"], tokens);
        var keep = new TextTokenizer(minTokenLength: 1, removeStopWords: false).Tokenize("The a B");
        Assert.Equal(["the", "a", "b"], keep);
    }

    [Fact]
    public void Vocabulary_KeepsWordsInEnoughDocuments_CapsBySize_SortsOrdinally()
    {
        string[][] docs = [["apple", "pear", "apple"], ["pear", "plum"], ["pear", "apple", "fig"], ["fig"]];
        var vocab = Vocabulary.Build(docs, minDocumentCount: 2);
        Assert.Equal(["apple", "fig", "pear"], vocab.Words);
        Assert.Equal([2, 2, 3], vocab.DocumentFrequencies);
        Assert.Equal(-1, vocab.IdOf("plum"));
        var capped = Vocabulary.Build(docs, minDocumentCount: 1, maxSize: 2);
        Assert.Equal(["apple", "pear"], capped.Words);
        var error = Assert.Throws<InvalidOperationException>(() => Vocabulary.Build(docs, minDocumentCount: 5));
        Assert.Contains("at least 5 of the 4 documents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LinesFile_GivesLineNumberIdsAndBagsOfWords()
    {
        string file = Path.Combine(_dir, "c.txt");
        File.WriteAllText(file, "cats chase mice\n\nmice eat cheese cheese\ncats sleep\n");
        var text = TextCorpus.Load(file);
        Assert.Equal(4, text.Count);
        var corpus = BagOfWordsCorpus.FromText(text, minDocumentCount: 2);
        Assert.Equal(["cats", "mice"], corpus.Vocabulary.Words);
        Assert.Equal(0, corpus.Documents[1].Length);
        Assert.Equal(1, corpus.Documents[2].Length);
        Assert.Equal(3, corpus.Documents[3].Id);
        Assert.Equal([0, 1], corpus.Documents[0].WordIds);
    }

    [Fact]
    public void Load_Folder_OrdersFilesByName()
    {
        string folder = Path.Combine(_dir, "docs");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "b.txt"), "second document");
        File.WriteAllText(Path.Combine(folder, "a.txt"), "first document");
        File.WriteAllText(Path.Combine(folder, "notes.md"), "ignored");
        var text = TextCorpus.Load(folder);
        Assert.Equal(["a.txt", "b.txt"], text.Names);
        Assert.Equal("first document", text.Documents[0]);
    }

    [Fact]
    public void Load_BadInput_ThrowsClearErrors()
    {
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(Path.Combine(_dir, "missing.txt"))).Message, StringComparison.Ordinal);
        string empty = Path.Combine(_dir, "empty.txt");
        File.WriteAllText(empty, string.Empty);
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(empty)).Message, StringComparison.Ordinal);
        string binary = Path.Combine(_dir, "binary.txt");
        File.WriteAllBytes(binary, [0x61, 0x00, 0x62]);
        Assert.Contains("NUL", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(binary)).Message, StringComparison.Ordinal);
        string latin1 = Path.Combine(_dir, "latin1.txt");
        File.WriteAllBytes(latin1, Encoding.Latin1.GetBytes("caf\u00e9 au lait"));
        Assert.Contains("UTF-8", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(latin1)).Message, StringComparison.Ordinal);
        string folder = Path.Combine(_dir, "nothing");
        Directory.CreateDirectory(folder);
        Assert.Contains("no .txt files", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(folder)).Message, StringComparison.Ordinal);
        string stop = Path.Combine(_dir, "stop.txt");
        File.WriteAllText(stop, "the and of\na an it\n");
        var error = Assert.Throws<InvalidOperationException>(() => BagOfWordsCorpus.FromText(TextCorpus.Load(stop)));
        Assert.Contains("no usable words", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_LoadCsv_MapsClassesAndRejectsBadLines()
    {
        string file = Path.Combine(_dir, "labels.csv");
        File.WriteAllText(file, "id,label\n0,sport\n2,politics\n3,sport\n");
        var labels = TopicLabels.Load(file, 4);
        Assert.Equal(["politics", "sport"], labels.ClassNames);
        Assert.Equal([1, -1, 0, 1], labels.Labels);
        File.WriteAllText(file, "0,a\n7,b\n");
        Assert.Contains("out of range", Assert.Throws<InvalidDataException>(() => TopicLabels.Load(file, 4)).Message, StringComparison.Ordinal);
        File.WriteAllText(file, "0,a\n1\n");
        Assert.Contains(":2:", Assert.Throws<InvalidDataException>(() => TopicLabels.Load(file, 4)).Message, StringComparison.Ordinal);
        File.WriteAllText(file, "0,a\n1,a\n");
        Assert.Contains("at least 2", Assert.Throws<InvalidDataException>(() => TopicLabels.Load(file, 4)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TooFewAnchorCandidatesOrTopics_ThrowsClearErrors()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { DocumentCount = 50, VocabularySize = 40, TopicCount = 3, DocumentLength = 20, Seed = 1 });
        var error = Assert.Throws<InvalidOperationException>(() => AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 3, AnchorMinDocuments = 1000 }));
        Assert.Contains("anchor candidates", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 0 }));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
