using System.Text;
using Letterbox.Mail.Import;
using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Tests.Import;

public sealed class MessageSourceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "letterbox-import-" + Guid.NewGuid().ToString("N"));

    public MessageSourceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<List<ImportItem>> ReadAll(string path)
    {
        var items = new List<ImportItem>();
        await foreach (var item in MessageSource.ReadAsync(path)) items.Add(item);
        return items;
    }

    private static string Text(ImportItem item)
    {
        Assert.NotNull(item.Open);
        using var stream = item.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Encoding.UTF8.GetString(copy.ToArray());
    }

    private string Write(string relative, string content, DateTime? modified = null)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (modified is { } m) File.SetLastWriteTimeUtc(path, m);
        return path;
    }

    [Fact]
    public async Task MboxIsSplitIntoTheOriginalBytes()
    {
        var path = Write("box.mbox",
            "From alice@example.com Mon Jan  1 00:00:00 2024\n" +
            "Subject: one\n\nbody one\n>From the quoted line\n\n" +
            "From bob@example.com Mon Jan  1 00:00:01 2024\r\n" +
            "Subject: two\r\n\r\nbody two\r\n\r\n" +
            "From nobody Mon Jan  1 00:00:02 2024\n" +
            "\n" +
            "From carol@example.com Mon Jan  1 00:00:03 2024\n" +
            "no header here\n\n" +
            "From dave@example.com Mon Jan  1 00:00:04 2024\n" +
            "Subject: last\n\nno final newline\n" +
            "From eve@example.com Mon Jan  1 00:00:05 2024\n" +
            "Subject: no blank line before the next separator\n\nbody\n" +
            "From frank@example.com Mon Jan  1 00:00:06 2024\n" +
            "Subject: end\n\nend\n\n");
        var items = await ReadAll(path);
        Assert.Equal(7, items.Count);
        Assert.Equal("Subject: one\n\nbody one\n>From the quoted line\n", Text(items[0]));
        Assert.Equal("Subject: two\r\n\r\nbody two\r\n", Text(items[1]));
        Assert.Equal("empty message", items[2].SkipReason);
        Assert.Null(items[2].Open);
        Assert.StartsWith("not a message", items[3].SkipReason, StringComparison.Ordinal);
        Assert.Equal("Subject: last\n\nno final newline\n", Text(items[4]));
        Assert.Equal("Subject: no blank line before the next separator\n\nbody\n", Text(items[5]));
        Assert.Equal("Subject: end\n\nend\n", Text(items[6]));
        Assert.Equal(path + ":0", items[0].Source);
        Assert.All(items, i => Assert.Null(i.MailboxName));
        Assert.All(items, i => Assert.Null(i.InternalDate));
    }

    [Fact]
    public async Task MboxSlicesAreSeekableStreams()
    {
        var path = Write("a.mbox", "From x\nSubject: s\n\n" + new string('z', 200_000) + "\n\nFrom y\nSubject: t\n\nb\n");
        var items = await ReadAll(path);
        Assert.Equal(2, items.Count);
        using var stream = items[0].Open!();
        Assert.True(stream.CanSeek);
        Assert.Equal(200_013, stream.Length);
        var structure = MessageAnalyzer.Analyze(stream);
        Assert.Equal(200_013, structure.Body.EndOffset);
        Assert.Equal("Subject: t\n\nb\n", Text(items[1]));
    }

    [Fact]
    public async Task CorpusMboxesYieldEveryMessage()
    {
        var items = await ReadAll(Path.Combine(Corpus.Root, "mbox", "netscape-1990s.mbox"));
        Assert.Equal(29, items.Count);
        Assert.All(items, i => Assert.Null(i.SkipReason));
        for (var i = 0; i < items.Count; i++)
        {
            using var stream = items[i].Open!();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var expected = Corpus.Load("mbox/netscape-1990s.mbox#" + i);
            var actual = Corpus.ToCrlf(copy.ToArray());
            Assert.Equal(Encoding.Latin1.GetString(expected).TrimEnd(), Encoding.Latin1.GetString(actual).TrimEnd());
        }
    }

    [Fact]
    public async Task MaildirWithFlagsAndSubfolders()
    {
        var t1 = new DateTime(2023, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        var t2 = t1.AddHours(1);
        Write("md/cur/1000.a.host:2,SRF", "Subject: a\n\nA\n", t1);
        Write("md/new/1001.b.host", "Subject: b\n\nB\n", t2);
        Write("md/cur/1002.c.host:2,TD", "Subject: c\n\nC\n", t2.AddHours(1));
        Write("md/tmp/ignored", "Subject: tmp\n\n");
        Write("md/.Work.Projects/cur/2000.x:2,S", "Subject: x\n\nX\n", t1);
        Directory.CreateDirectory(Path.Combine(_dir, "md/.Work/new"));
        Write("md/.inbox.Sub/new/3000.y", "Subject: y\n\nY\n", t1);
        Write("md/.a..b/new/4000.z", "Subject: z\n\n", t1);
        Write("md/cur/1003.d.host:2,", "", t2.AddHours(2));

        var items = await ReadAll(Path.Combine(_dir, "md"));

        var top = items.Where(i => i.MailboxName is null && !i.IsSkipped).ToList();
        Assert.Equal(["Subject: a\n\nA\n", "Subject: b\n\nB\n", "Subject: c\n\nC\n"], top.Select(Text));
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged, top[0].Flags);
        Assert.Equal(MessageFlags.None, top[1].Flags);
        Assert.Equal(MessageFlags.Deleted | MessageFlags.Draft, top[2].Flags);
        Assert.Equal(new DateTimeOffset(t1), top[0].InternalDate);
        Assert.Contains(items, i => i.SkipReason == "empty message" && i.Source.EndsWith("1003.d.host:2,", StringComparison.Ordinal));

        var sub = Assert.Single(items, i => i.MailboxName == "Work/Projects");
        Assert.Equal(MessageFlags.Seen, sub.Flags);
        Assert.Equal("Subject: x\n\nX\n", Text(sub));
        Assert.Single(items, i => i.MailboxName == "INBOX/Sub");
        var bad = Assert.Single(items, i => i.IsSkipped && i.Source.EndsWith(".a..b", StringComparison.Ordinal));
        Assert.Contains("not a valid mailbox name", bad.SkipReason, StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i.Source.EndsWith("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmlDirectoryIsReadRecursivelyAndBrokenFilesAreSkipped()
    {
        var t = new DateTime(2022, 2, 2, 2, 2, 2, DateTimeKind.Utc);
        Write("eml/a.eml", "Subject: a\r\n\r\nA\r\n", t);
        Write("eml/sub/deeper/b.EML", "Subject: b\r\n\r\nB\r\n", t);
        Write("eml/broken.eml", "\u0001\u0002 binary junk, no header\r\n", t);
        Write("eml/notes.txt", "Subject: ignored\r\n\r\n");

        var items = await ReadAll(Path.Combine(_dir, "eml"));

        Assert.Equal(3, items.Count);
        Assert.Equal("Subject: a\r\n\r\nA\r\n", Text(items[0]));
        Assert.Equal(new DateTimeOffset(t), items[0].InternalDate);
        Assert.StartsWith("not a message", items[1].SkipReason, StringComparison.Ordinal);
        Assert.EndsWith("broken.eml", items[1].Source, StringComparison.Ordinal);
        Assert.Equal("Subject: b\r\n\r\nB\r\n", Text(items[2]));
    }

    [Fact]
    public async Task SingleMessageFile()
    {
        var path = Write("one.eml", "Subject: one\r\n\r\nx\r\n");
        var item = Assert.Single(await ReadAll(path));
        Assert.Equal("Subject: one\r\n\r\nx\r\n", Text(item));
    }

    [Fact]
    public async Task MissingPathIsAClearError()
    {
        var missing = Path.Combine(_dir, "nope");
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAll(missing));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }
}
