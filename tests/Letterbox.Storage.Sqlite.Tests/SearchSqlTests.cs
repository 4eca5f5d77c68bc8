using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>
/// The SQL translation of column-only search keys must give exactly what <see cref="SearchEvaluator"/> (the
/// reference, written from RFC 9051 §6.4.4) gives: random key trees over random flags, sizes and INTERNALDATEs in
/// several time zones, compared message by message.
/// </summary>
public sealed class SearchSqlTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N"));
    private SqliteMailStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteMailStore.OpenAsync(_directory);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Candidate(MessageMetadata m) : ISearchCandidate
    {
        public uint Uid => m.Uid;
        public MessageFlags Flags => m.Flags;
        public IReadOnlyList<string> Keywords => m.Keywords;
        public ulong ModSeq => m.ModSeq;
        public DateTimeOffset InternalDate => m.InternalDate;
        public long Size => m.Size;
        public MessageStructure Structure => m.Structure;
        public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Stream.Null);
    }

    [Fact]
    public async Task TranslatedKeysAgreeWithTheEvaluator()
    {
        var random = new Random(20261129);
        var user = await _store.AddUserAsync("s", "x");
        var inbox = (await _store.GetMailboxAsync(user.Id, "INBOX"))!;
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromHours(-8), TimeSpan.FromHours(5.5), TimeSpan.FromHours(14) };
        for (var i = 0; i < 60; i++)
        {
            await using var stager = await _store.StageAsync(1 << 20);
            await stager.WriteAsync(Encoding.ASCII.GetBytes("Subject: m\r\n\r\n" + new string('x', random.Next(0, 400)) + "\r\n"));
            var date = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 6 * 24 * 60));
            var staged = await stager.CompleteAsync();
            await _store.AppendAsync(inbox.Id, [new AppendRequest(staged, (MessageFlags)random.Next(0, 32), [], date.ToOffset(offsets[random.Next(offsets.Length)]))]);
        }
        await _store.StoreFlagsAsync(inbox.Id, [3, 9, 27], FlagOperation.Add, MessageFlags.Flagged, []);
        var all = await _store.GetMetadataAsync(inbox.Id, Enumerable.Range(1, 60).Select(i => (uint)i).ToArray());
        var evaluator = new SearchEvaluator();

        for (var round = 0; round < 300; round++)
        {
            var key = RandomKey(random, 0);
            var expected = new List<uint>();
            foreach (var m in all)
            {
                if (await evaluator.MatchesAsync(key, new Candidate(m), DateTimeOffset.UtcNow)) expected.Add(m.Uid);
            }
            Assert.Equal(expected, await _store.SearchAsync(inbox.Id, key));
        }
    }

    private static SearchKey RandomKey(Random random, int depth)
    {
        var pick = random.Next(depth > 3 ? 7 : 10);
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
            7 => new NotKey(RandomKey(random, depth + 1)),
            8 => new OrKey(RandomKey(random, depth + 1), RandomKey(random, depth + 1)),
            _ => new AndKey([RandomKey(random, depth + 1), RandomKey(random, depth + 1), RandomKey(random, depth + 1)]),
        };
    }
}
