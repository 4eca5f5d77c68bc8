using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;
using Letterbox.Tests;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>
/// The full-text index must never change an answer: every corpus message is appended, and header, body and text
/// searches (RFC 9051 §6.4.4: case-insensitive substring of the decoded text) through the store — FTS5 trigram,
/// <c>instr</c> for 1–2 character needles, stored-text checks for the rest — must equal
/// <see cref="SearchEvaluator"/> run over each raw message. Also with the index missing (a store from before it)
/// and after <see cref="SqliteMailStore.RebuildSearchIndexAsync"/>.
/// </summary>
public sealed class SearchIndexTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N"));
    private SqliteMailStore _store = null!;
    private long _inbox;
    private readonly List<byte[]> _messages = [];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public async Task InitializeAsync()
    {
        _store = await SqliteMailStore.OpenAsync(_directory, new SqliteStoreOptions { TimeProvider = new FixedTime(Now) });
        var user = await _store.AddUserAsync("search@example.com", "x");
        _inbox = (await _store.GetMailboxAsync(user.Id, "INBOX"))!.Id;
        var requests = new List<AppendRequest>();
        foreach (var name in Corpus.Names)
        {
            var bytes = Corpus.Load(name);
            _messages.Add(bytes);
            await using var stager = await _store.StageAsync(64 << 20);
            await stager.WriteAsync(bytes);
            requests.Add(new AppendRequest(await stager.CompleteAsync(), MessageFlags.None, [], Now.AddDays(-requests.Count)));
        }
        // UIDs 1..n in corpus order.
        await _store.AppendAsync(_inbox, requests);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class RawCandidate(uint uid, byte[] bytes, DateTimeOffset internalDate) : ISearchCandidate
    {
        public uint Uid => uid;
        public MessageFlags Flags => MessageFlags.None;
        public IReadOnlyList<string> Keywords => [];
        public ulong ModSeq => 1;
        public DateTimeOffset InternalDate => internalDate;
        public long Size => bytes.Length;
        public MessageStructure Structure => MessageAnalyzer.Analyze(new MemoryStream(bytes));
        public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    /// <summary>The reference: <see cref="SearchEvaluator"/> parsing each raw message.</summary>
    private async Task<List<uint>> ExpectedAsync(SearchKey key)
    {
        var evaluator = new SearchEvaluator();
        var expected = new List<uint>();
        for (var i = 0; i < _messages.Count; i++)
        {
            if (await evaluator.MatchesAsync(key, new RawCandidate((uint)(i + 1), _messages[i], Now.AddDays(-i)), Now)) expected.Add((uint)(i + 1));
        }
        return expected;
    }

    /// <summary>Needles: the awkward ones by hand, then substrings (1–14 characters, original, lower and upper case)
    /// of the decoded header values and body texts of the corpus, favouring non-ASCII and RFC 2047 subjects.</summary>
    private List<string> Needles(int seed, int count)
    {
        var needles = new List<string>
        {
            "%", "_", "\"", "a%", "%_%", "_x_", "\"hello\"", "\"\"", "*", "doug*", "NEAR", "OR", "AND", "NOT", "-", "^", ":",
            "{from_}", "from_ : x", "'", "\\", "%%", "()", "é", "É", "ü", "Ü", "日本", "ß", "SS", "ı", "İ", "x", "e", "E", "@",
            ".", " ", "\t", "zzzzqqq", "netscape", "NetScape", "doug sauder", "<", ">", "\" <", "=?", "?=", "iso-8859-1",
        };
        var random = new Random(seed);
        var documents = new List<(SearchDocument Document, bool Encoded)>();
        foreach (var bytes in _messages)
        {
            try
            {
                var message = MimeMessage.Load(new MemoryStream(bytes));
                var raw = Encoding.Latin1.GetString(bytes);
                documents.Add((SearchDocument.FromMessage(message), raw.Contains("=?", StringComparison.Ordinal)));
            }
            catch (FormatException)
            {
            }
        }
        while (needles.Count < count)
        {
            var (document, encoded) = documents[random.Next(documents.Count)];
            string source;
            if (random.Next(3) > 0 && document.Fields.Count > 0)
            {
                var field = document.Fields[random.Next(document.Fields.Count)];
                if (encoded && random.Next(2) == 0)
                {
                    // Decoded text of a header with RFC 2047 words: needles across word boundaries.
                    field = document.Fields.FirstOrDefault(f => f.Name == "SUBJECT" || f.Name == "FROM") ?? field;
                }
                source = field.Values[random.Next(field.Values.Count)];
            }
            else if (document.MimeHeaders.Count > 0 && random.Next(3) == 0)
            {
                // MIME header texts: TEXT must find them, BODY and HEADER must not (RFC 9051 §6.4.4).
                source = document.MimeHeaders[random.Next(document.MimeHeaders.Count)];
            }
            else if (document.Bodies.Count > 0)
            {
                source = document.Bodies[random.Next(document.Bodies.Count)];
            }
            else
            {
                continue;
            }
            if (source.Length == 0) continue;
            var length = Math.Min(source.Length, random.Next(1, 15));
            var start = random.Next(source.Length - length + 1);
            // Prefer a window around a non-ASCII character when there is one.
            var nonAscii = source.AsSpan().IndexOfAnyExceptInRange((char)0, (char)127);
            if (nonAscii >= 0 && random.Next(2) == 0) start = Math.Max(0, Math.Min(nonAscii - (length / 2), source.Length - length));
            var needle = source.Substring(start, length);
            if (char.IsLowSurrogate(needle[0]) || char.IsHighSurrogate(needle[^1])) continue;
            needles.Add(random.Next(3) switch { 0 => needle, 1 => needle.ToLowerInvariant(), _ => needle.ToUpperInvariant() });
        }
        return needles;
    }

    private static IEnumerable<SearchKey> Keys(List<string> needles, int seed)
    {
        var random = new Random(seed);
        string[] fields = ["Message-ID", "X-Mailer", "Content-Type", "Received", "MIME-Version", "Reply-To", "Sender"];
        foreach (var needle in needles)
        {
            SearchKey key = random.Next(10) switch
            {
                0 => new HeaderKey("From", needle),
                1 => new HeaderKey("To", needle),
                2 => new HeaderKey("Cc", needle),
                3 => new HeaderKey("Bcc", needle),
                4 => new HeaderKey("Subject", needle),
                5 => new HeaderKey(fields[random.Next(fields.Length)], needle),
                6 or 7 => new BodyKey(needle),
                _ => new TextKey(needle),
            };
            yield return random.Next(8) switch
            {
                0 => new NotKey(key),
                1 => new OrKey(key, new HeaderKey("Subject", needles[random.Next(needles.Count)])),
                2 => new AndKey([key, new WithinKey(random.Next(2) == 0, random.Next(0, 200) * 86400L)]),
                _ => key,
            };
        }
        foreach (var needle in FormatTwoNeedles)
        {
            yield return new BodyKey(needle);
            yield return new TextKey(needle);
            yield return new HeaderKey("Content-Type", needle);
            yield return new HeaderKey("", needle);
        }
        yield return new HeaderKey("Cc", "");
        yield return new HeaderKey("", "");
        yield return new HeaderKey("Content-Disposition", "");
        yield return new HeaderKey("X-Mailer", "");
        yield return new BodyKey("");
        yield return new TextKey("");
        yield return new NotKey(new TextKey(""));
    }

    /// <summary>Text that search text format 2 places differently: MIME part header fields (TEXT only), terminal
    /// message/* parts (body), UTF-7 (decoded).</summary>
    private static readonly string[] FormatTwoNeedles =
    [
        "filename", "Content-Type", "content-disposition: attachment", "multipart/alternative", "text/plain; charset",
        "Final-Recipient", "Reporting-MTA", "Feedback-Type", "Disposition:", "Frösche", "Jürgen", "+APY-", "Fr+APY-sche",
    ];

    private async Task AssertAllAgreeAsync(int seed, int count)
    {
        foreach (var key in Keys(Needles(seed, count), seed))
        {
            var expected = await ExpectedAsync(key);
            var actual = await _store.SearchAsync(_inbox, key);
            Assert.True(expected.SequenceEqual(actual), $"{key}: evaluator {string.Join(',', expected)} but index {string.Join(',', actual)}");
        }
    }

    [Fact]
    public async Task Searches_through_the_index_equal_the_evaluator_over_every_raw_corpus_message()
    {
        await AssertAllAgreeAsync(seed: 6, count: 220);
    }

    private static uint[] Uids(params string[] names)
    {
        var uids = new uint[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var index = Corpus.Names.ToList().IndexOf(names[i]);
            Assert.True(index >= 0, names[i] + " is not in the corpus");
            uids[i] = (uint)(index + 1);
        }
        Array.Sort(uids);
        return uids;
    }

    /// <summary>The Outlook 2000 messages of the corpus, with charset="utf-7" bodies (034 says UTF-7 too, but has no
    /// encoded words and a body that is no UTF-7 German).</summary>
    private static readonly HeaderKey Utf7Body = new("Content-Type", "utf-7");

    private static readonly string[] FinalRecipient =
    [
        "eml/mimekit/delivery-status-no-blank-line.txt", "eml/mimekit/delivery-status.anonymized.eml", "eml/mimekit/delivery-status.txt",
        "eml/mimekit/delivery-status2.txt", "eml/mimekit/disposition-notification.anonymized.eml", "eml/mimekit/disposition-notification.txt",
        "mbox/netscape-1990s.mbox#27",
    ];

    public static TheoryData<SearchKey, string[]> FormatTwoCases => new()
    {
        // Terminal message/* parts are searched (RFC 9051 §6.4.4 lets a server skip only terminal types other than
        // TEXT and MESSAGE), as Dovecot does: message/delivery-status, message/disposition-notification,
        // message/feedback-report. Not in BODY's part headers: it is in their content.
        { new TextKey("Final-Recipient"), FinalRecipient },
        { new BodyKey("Final-Recipient"), FinalRecipient },
        { new TextKey("Feedback-Type"), ["eml/mimekit/feedback-report.txt"] },
        // UTF-7 encoded words and bodies are decoded (§6.4.4: strings "MUST be decoded before comparing"); other
        // legacy messages carry the same German text in other charsets, hence the AND with the UTF-7 ones.
        { new AndKey([new HeaderKey("Subject", "Frösche"), Utf7Body]), ["eml/legacy/001.eml", "eml/legacy/005.eml"] },
        { new AndKey([new HeaderKey("To", "Jürgen"), Utf7Body]), ["eml/legacy/001.eml"] },
        { new AndKey([new HeaderKey("To", "Heinz Müller <mueller@"), Utf7Body]), ["eml/legacy/005.eml"] },
        { new AndKey([new BodyKey("ein für allemal"), Utf7Body]), ["eml/legacy/001.eml", "eml/legacy/005.eml"] },
        { new AndKey([new TextKey("Frösche"), Utf7Body]), ["eml/legacy/001.eml", "eml/legacy/005.eml"] },
        { new BodyKey("Fr+APY-sche"), [] },
        { new HeaderKey("Subject", "+APY-"), ["eml/legacy/034.eml"] }, // bare "Fr+APY-sche", no encoded word: not decoded
    };

    /// <summary>The three changes of search text format 2, on the corpus: index answer, evaluator answer and the
    /// messages picked by hand agree.</summary>
    [Theory]
    [MemberData(nameof(FormatTwoCases))]
    public async Task Format_two_finds_report_parts_and_utf7_text(SearchKey key, string[] names)
    {
        var expected = Uids(names);
        Assert.Equal(expected, await ExpectedAsync(key));
        Assert.Equal(expected, await _store.SearchAsync(_inbox, key));
    }

    /// <summary>BODY "doesn't match any header fields" (RFC 9051 §6.4.4), a MIME part's or an encapsulated message's
    /// neither; TEXT does ("including MIME header fields"). Dovecot: BODY "filename" matches no corpus message.</summary>
    [Fact]
    public async Task Body_does_not_find_mime_part_header_fields_and_text_does()
    {
        var body = await _store.SearchAsync(_inbox, new BodyKey("filename"));
        var text = await _store.SearchAsync(_inbox, new TextKey("filename"));
        Assert.Equal(await ExpectedAsync(new BodyKey("filename")), body);
        Assert.Equal(await ExpectedAsync(new TextKey("filename")), text);
        Assert.True(text.Count > 20, $"TEXT \"filename\" found only {text.Count}");
        Assert.Empty(body);
        // bounce.txt: a part's Content-Description and the Subject of the returned message/rfc822 are TEXT's only.
        var bounce = Uids("eml/mimekit/bounce.txt");
        foreach (var needle in new[] { "Content-Description: Undelivered Message", "Subject: FILE-SRV | FILE-SRV" })
        {
            Assert.Equal(bounce, await _store.SearchAsync(_inbox, new AndKey([new TextKey(needle), new UidSetKey(bounce)])));
            Assert.Empty(await _store.SearchAsync(_inbox, new AndKey([new BodyKey(needle), new UidSetKey(bounce)])));
            Assert.Empty(await _store.SearchAsync(_inbox, new AndKey([new HeaderKey("Subject", "FILE-SRV"), new UidSetKey(bounce)])));
        }
    }

    [Fact]
    public async Task The_index_answers_without_reading_any_message_file()
    {
        SearchKey[] keys = [new HeaderKey("From", "doug"), new TextKey("attachment"), new BodyKey("th"), new HeaderKey("X-Mailer", "Mozilla"), new NotKey(new HeaderKey("Subject", "é"))];
        var expected = new List<List<uint>>();
        foreach (var key in keys) expected.Add(await ExpectedAsync(key));
        Assert.NotEmpty(expected[0]);
        Assert.NotEmpty(expected[3]);
        // Messages the index cannot hold are still parsed (none of these keys should need one to be).
        var unindexable = await ScalarAsync("SELECT count(*) FROM search_text WHERE headers IS NULL");
        Directory.Delete(Path.Combine(_directory, "blobs"), recursive: true);
        for (var i = 0; i < keys.Length; i++)
        {
            var actual = await _store.SearchAsync(_inbox, keys[i]);
            if (unindexable == 0) Assert.Equal(expected[i], actual);
        }
        Assert.Equal(0L, unindexable);
    }

    [Fact]
    public async Task Without_the_index_messages_are_parsed_and_after_a_rebuild_the_index_answers_the_same()
    {
        // A store from before the index: no search text at all, and not marked complete.
        await ExecuteAsync("DELETE FROM search_text; DELETE FROM store_state WHERE key = 'search_index_complete';");
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM search_text"));
        await AssertAllAgreeAsync(seed: 7, count: 60);

        var reports = new List<SearchIndexProgress>();
        var result = await _store.RebuildSearchIndexAsync("search@example.com", "INBOX", new SynchronousProgress<SearchIndexProgress>(reports), batchSize: 50);
        Assert.Equal(_messages.Count, result.Total);
        Assert.Equal(result.Total, reports[^1].Done);
        Assert.Equal(_messages.Count, await ScalarAsync("SELECT count(*) FROM search_text"));
        Assert.Equal(1L, await ScalarAsync("SELECT value FROM store_state WHERE key = 'search_index_complete'"));
        await AssertAllAgreeAsync(seed: 8, count: 60);
    }

    [Fact]
    public async Task Expunging_the_last_message_of_a_blob_removes_its_search_text_and_a_copy_keeps_it()
    {
        var user = await _store.FindUserAsync("search@example.com");
        var archive = (await _store.GetMailboxAsync(user!.Id, "Archive"))!.Id;
        await _store.CopyAsync(_inbox, [1, 2], archive);
        await _store.StoreFlagsAsync(_inbox, [1, 2, 3], FlagOperation.Add, MessageFlags.Deleted, []);
        await _store.ExpungeAsync(_inbox);
        // Blobs 1 and 2 live on in Archive; blob 3 is gone, with its text and (integrity-check) its FTS entries.
        Assert.Equal(_messages.Count - 1, await ScalarAsync("SELECT count(*) FROM search_text"));
        await ExecuteAsync("INSERT INTO search_texts (search_texts) VALUES ('integrity-check'); INSERT INTO search_fields (search_fields) VALUES ('integrity-check');");
        var copied = await _store.SearchAsync(archive, new TextKey(""));
        Assert.Equal([1u, 2u], copied);
    }

    [Fact]
    public async Task Rebuilding_an_unknown_user_or_mailbox_is_refused()
    {
        var user = await Assert.ThrowsAsync<MailStoreException>(() => _store.RebuildSearchIndexAsync("nobody@example.com", null));
        Assert.Equal(MailStoreError.NoSuchUser, user.Error);
        var mailbox = await Assert.ThrowsAsync<MailStoreException>(() => _store.RebuildSearchIndexAsync("search@example.com", "Nope"));
        Assert.Equal(MailStoreError.NonExistent, mailbox.Error);
    }

    private Task ExecuteAsync(string sql) => StoreDatabase.ExecuteAsync(_directory, sql);

    private Task<long> ScalarAsync(string sql) => StoreDatabase.ScalarAsync(_directory, sql);
}
