using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>
/// The SQL translation of search keys must give exactly what <see cref="SearchEvaluator"/> (the reference, written
/// from RFC 9051 §6.4.4) gives: random key trees over random flags, sizes and INTERNALDATEs in several time zones,
/// and — through the full-text index — random subjects, senders and bodies (header/body/text keys, OLDER/YOUNGER of
/// RFC 5032), compared message by message.
/// </summary>
public sealed class SearchSqlTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N"));
    private SqliteMailStore _store = null!;

    private static readonly DateTimeOffset Now = new(2024, 3, 9, 7, 30, 15, 250, TimeSpan.Zero);

    private static readonly string[] Words = ["alpha", "Beta", "gamma", "Ünïcödé", "smörgåsbord", "50%_off", "\"quoted\"", "ab", "x", "naïve", "STRASSE", "straße"];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public async Task InitializeAsync() => _store = await SqliteMailStore.OpenAsync(_directory, new SqliteStoreOptions { TimeProvider = new FixedTime(Now) });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Candidate(MessageMetadata m, byte[] bytes) : ISearchCandidate
    {
        public uint Uid => m.Uid;
        public MessageFlags Flags => m.Flags;
        public IReadOnlyList<string> Keywords => m.Keywords;
        public ulong ModSeq => m.ModSeq;
        public DateTimeOffset InternalDate => m.InternalDate;
        public long Size => m.Size;
        public MessageStructure Structure => m.Structure;
        public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    [Fact]
    public async Task TranslatedKeysAgreeWithTheEvaluator()
    {
        var random = new Random(20261129);
        var (inbox, all, messages) = await FillAsync(random);
        for (var round = 0; round < 300; round++)
        {
            await AssertAgreesAsync(inbox, all, messages, RandomKey(random, 0));
        }
    }

    /// <summary>Thousands of keys side by side (a 64 KiB search line holds them) are one AND: SQLite refuses an
    /// expression chain deeper than 1,000, so the translation must not nest them one per key (regression: 997 × SEEN
    /// gave NO [SERVERBUG]).</summary>
    [Fact]
    public async Task ThousandsOfKeysSideBySideAgreeWithTheEvaluator()
    {
        var random = new Random(5);
        var (inbox, all, messages) = await FillAsync(random);
        var seen = new SearchKey[3000];
        Array.Fill(seen, new FlagKey(MessageFlags.Seen, true));
        await AssertAgreesAsync(inbox, all, messages, new AndKey(seen));
        var mixed = new SearchKey[2000];
        for (var i = 0; i < mixed.Length; i++) mixed[i] = RandomKey(random, 3);
        await AssertAgreesAsync(inbox, all, messages, new AndKey(mixed));
        var text = new SearchKey[1200];
        for (var i = 0; i < text.Length; i++) text[i] = i % 2 == 0 ? new TextKey("x") : new NotKey(new BodyKey("zzz"));
        await AssertAgreesAsync(inbox, all, messages, new AndKey(text));
        // A UID set of thousands of separate ranges (limits.maxSequenceSetRanges is 10,000) is an OR of as many.
        var odd = new uint[5000];
        for (var i = 0; i < odd.Length; i++) odd[i] = (uint)(2 * i + 1);
        await AssertAgreesAsync(inbox, all, messages, new UidSetKey(odd));
        await AssertAgreesAsync(inbox, all, messages, new AndKey([new UidSetKey(odd), new TextKey("x")]));
    }

    /// <summary>A long needle (a literal may be 64 KiB) ANDs at most <see cref="SearchSql.MaxTrigrams"/> trigrams
    /// (regression: one 60,000-character TEXT key took 4 s and gigabytes in FTS5), and the answer stays exact: found
    /// where the whole text is, not where only its sampled trigrams are.</summary>
    [Fact]
    public async Task LongNeedlesUseFewTrigramsAndStayExact()
    {
        var random = new Random(11);
        var letters = new char[60_000];
        for (var i = 0; i < letters.Length; i++) letters[i] = (char)('a' + random.Next(26));
        var text = new string(letters);
        var query = SearchSql.TrigramQuery(SearchDocument.Fold(text), null)!;
        Assert.InRange(query.Split(" AND ").Length, 2, SearchSql.MaxTrigrams);

        var (inbox, all, messages) = await FillAsync(random);
        await using (var stager = await _store.StageAsync(1 << 20))
        {
            var bytes = Encoding.UTF8.GetBytes("Subject: long\r\n\r\n" + text[..5000] + "\r\n");
            messages[61] = bytes;
            await stager.WriteAsync(bytes);
            await _store.AppendAsync(inbox, [new AppendRequest(await stager.CompleteAsync(), MessageFlags.None, [], null)]);
        }
        all = await _store.GetMetadataAsync(inbox, Enumerable.Range(1, 61).Select(i => (uint)i).ToArray());
        var present = text[1000..4000];
        var changed = present[..1500] + "A" + present[1501..]; // every sampled trigram may still be there
        Assert.Equal([61u], await _store.SearchAsync(inbox, new TextKey(present)));
        await AssertAgreesAsync(inbox, all, messages, new TextKey(present));
        await AssertAgreesAsync(inbox, all, messages, new BodyKey(changed));
        Assert.Empty(await _store.SearchAsync(inbox, new BodyKey(changed)));
        await AssertAgreesAsync(inbox, all, messages, new NotKey(new TextKey(text)));
    }

    /// <summary>60 random messages (random flags, sizes, dates in four zones, words in From/Subject/body).</summary>
    private async Task<(long Inbox, IReadOnlyList<MessageMetadata> All, Dictionary<uint, byte[]> Messages)> FillAsync(Random random)
    {
        var user = await _store.AddUserAsync("s", "x");
        var inbox = (await _store.GetMailboxAsync(user.Id, "INBOX"))!;
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromHours(-8), TimeSpan.FromHours(5.5), TimeSpan.FromHours(14) };
        var messages = new Dictionary<uint, byte[]>();
        for (var i = 0; i < 60; i++)
        {
            await using var stager = await _store.StageAsync(1 << 20);
            var bytes = Encoding.UTF8.GetBytes(
                $"From: {Word(random)} <{Word(random)}@example.com>\r\nSubject: =?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(Word(random) + " " + Word(random)))}?=\r\n" +
                $"Content-Type: text/plain; charset=utf-8\r\n\r\n{Word(random)} " + new string('x', random.Next(0, 400)) + $" {Word(random)}\r\n");
            messages[(uint)(i + 1)] = bytes;
            await stager.WriteAsync(bytes);
            var date = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 6 * 24 * 60));
            var staged = await stager.CompleteAsync();
            await _store.AppendAsync(inbox.Id, [new AppendRequest(staged, (MessageFlags)random.Next(0, 32), [], date.ToOffset(offsets[random.Next(offsets.Length)]))]);
        }
        await _store.StoreFlagsAsync(inbox.Id, [3, 9, 27], FlagOperation.Add, MessageFlags.Flagged, []);
        var all = await _store.GetMetadataAsync(inbox.Id, Enumerable.Range(1, 60).Select(i => (uint)i).ToArray());
        return (inbox.Id, all, messages);
    }

    private async Task AssertAgreesAsync(long inbox, IReadOnlyList<MessageMetadata> all, Dictionary<uint, byte[]> messages, SearchKey key)
    {
        var evaluator = new SearchEvaluator();
        var expected = new List<uint>();
        foreach (var m in all)
        {
            if (await evaluator.MatchesAsync(key, new Candidate(m, messages[m.Uid]), Now)) expected.Add(m.Uid);
        }
        Assert.Equal(expected, await _store.SearchAsync(inbox, key));
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];

    /// <summary>A word, a piece of one (1–5 characters, so both the trigram index and the short-needle scan), in
    /// any case.</summary>
    private static string Needle(Random random)
    {
        var word = Word(random);
        var length = random.Next(1, Math.Min(5, word.Length) + 1);
        var piece = random.Next(2) == 0 ? word : word.Substring(random.Next(word.Length - length + 1), length);
        return random.Next(2) == 0 ? piece.ToUpperInvariant() : piece.ToLowerInvariant();
    }

    private static SearchKey RandomKey(Random random, int depth)
    {
        var pick = random.Next(depth > 3 ? 12 : 15);
        var flags = new[] { MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft };
        return pick switch
        {
            0 => new FlagKey(flags[random.Next(flags.Length)], random.Next(2) == 0),
            1 => new SizeKey(random.Next(2) == 0, random.Next(10, 450)),
            2 => new DateKey(DateField.Internal, (DateComparison)random.Next(3), new DateOnly(2024, 3, 1).AddDays(random.Next(-1, 8))),
            3 => new ModSeqKey((ulong)random.Next(1, 70)),
            4 => new UidSetKey(Enumerable.Range(1, 70).Where(_ => random.Next(4) == 0).Select(i => (uint)i).ToArray()),
            5 => new RecentKey(random.Next(2) == 0),
            6 => AllKey.Instance,
            7 => new HeaderKey(random.Next(2) == 0 ? "Subject" : "From", Needle(random)),
            8 => new BodyKey(Needle(random)),
            9 => new TextKey(Needle(random)),
            10 => new WithinKey(random.Next(2) == 0, (long)(Now - new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds - random.Next(-86400, 6 * 86400)),
            11 => new HeaderKey("Content-Type", random.Next(2) == 0 ? "plain" : ""),
            12 => new NotKey(RandomKey(random, depth + 1)),
            13 => new OrKey(RandomKey(random, depth + 1), RandomKey(random, depth + 1)),
            _ => new AndKey([RandomKey(random, depth + 1), RandomKey(random, depth + 1), RandomKey(random, depth + 1)]),
        };
    }
}
