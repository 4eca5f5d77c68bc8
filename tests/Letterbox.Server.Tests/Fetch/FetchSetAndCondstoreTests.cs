using System.Text;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap;
using static Letterbox.Server.Tests.Fetch.FetchMessages;

namespace Letterbox.Server.Tests.Fetch;

/// <summary>Sequence-set resolution, expunged messages, CHANGEDSINCE/CONDSTORE (RFC 7162), large responses.</summary>
public sealed class FetchSetAndCondstoreTests : IAsyncLifetime
{
    private FetchHarness _h = null!;

    public async Task InitializeAsync() => _h = await FetchHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("FETCH 1:* FLAGS")]
    [InlineData("FETCH * FLAGS")]
    [InlineData("UID FETCH 1:* FLAGS")]
    [InlineData("UID FETCH 5 FLAGS")]
    public async Task EmptyMailbox_StarSetsAndUids_AnswerOkWithNothing(string command)
    {
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync(command);

        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("FETCH 1 FLAGS", 0)]
    [InlineData("FETCH 1:2 FLAGS", 0)]
    [InlineData("FETCH 3 FLAGS", 2)]
    [InlineData("FETCH 1,3 FLAGS", 2)]
    public async Task SequenceNumberAboveCount_IsBad_AndWritesNothing(string command, int messages)
    {
        for (var i = 0; i < messages; i++)
        {
            await _h.AppendAsync(Simple);
        }
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync(command);

        Assert.Equal(ResponseCondition.Bad, result.Condition);
        Assert.Equal("Invalid message sequence number", result.Text);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task UidFetch_OfMissingUids_IsOkWithOnlyExistingOnes()
    {
        await _h.AppendAsync(Simple);
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync("UID FETCH 2:9,50 (FLAGS)");

        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal("* 2 FETCH (UID 2 FLAGS ())\r\n", output);
    }

    [Fact]
    public async Task MessageExpungedElsewhere_IsSkippedSilently()
    {
        await _h.AppendAsync(Simple);
        await _h.AppendAsync(Simple, MessageFlags.Deleted);
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();
        await _h.Store.ExpungeAsync(_h.Inbox.Id);

        var (flagsResult, flags) = await _h.RunAsync("FETCH 1:3 (FLAGS)");
        var (bodyResult, bodies) = await _h.RunAsync("FETCH 1:3 (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");

        Assert.Equal(ResponseCondition.Ok, flagsResult.Condition);
        Assert.Equal("* 1 FETCH (FLAGS ())\r\n* 3 FETCH (FLAGS ())\r\n", flags);
        Assert.Equal(ResponseCondition.Ok, bodyResult.Condition);
        var item = $"RFC822.SIZE {Encoding.UTF8.GetByteCount(Simple)} BODY[HEADER.FIELDS (SUBJECT)] {{15}}\r\nSubject: Hi\r\n\r\n";
        Assert.Equal($"* 1 FETCH ({item})\r\n* 3 FETCH ({item})\r\n", bodies);
    }

    [Fact]
    public async Task ChangedSince_ReturnsOnlyChangedMessages_WithUidAndModSeq_AndEnablesCondstore()
    {
        await _h.AppendAsync(Simple);
        await _h.AppendAsync(Simple);
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();
        var before = (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids)).Max(s => s.ModSeq);
        var stored = await _h.Store.StoreFlagsAsync(_h.Inbox.Id, [_h.Uids[1]], FlagOperation.Add, MessageFlags.Flagged, []);
        var modSeq = stored.Changed[0].ModSeq;
        Assert.False((_h.Session.Enabled & EnabledExtensions.Condstore) != 0);

        var (result, output) = await _h.RunAsync($"FETCH 1:* (FLAGS) (CHANGEDSINCE {before})");

        // The first CONDSTORE-enabling command with a mailbox selected sends HIGHESTMODSEQ (RFC 7162 §3.1).
        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal($"* OK [HIGHESTMODSEQ {before}] Highest\r\n* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ ({modSeq}))\r\n", output);
        Assert.True((_h.Session.Enabled & EnabledExtensions.Condstore) != 0);
        Assert.True(_h.View.Condstore);

        // From now on every FETCH response carries UID and MODSEQ (RFC 7162 §3.1).
        var (_, later) = await _h.RunAsync("FETCH 2 (FLAGS)");
        Assert.Equal($"* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ ({modSeq}))\r\n", later);
    }

    [Fact]
    public async Task ModSeqItem_IsWrittenWhereRequested()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();
        var modSeq = (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids))[0].ModSeq;

        var (_, output) = await _h.RunAsync("UID FETCH 1 (MODSEQ FLAGS)");

        Assert.Equal($"* OK [HIGHESTMODSEQ {modSeq}] Highest\r\n* 1 FETCH (UID 1 MODSEQ ({modSeq}) FLAGS ())\r\n", output);
    }

    [Fact]
    public async Task CondstoreEnabled_SeenChange_CarriesNewModSeq()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();
        _h.Session.Enable(EnabledExtensions.Condstore);

        var (_, output) = await _h.RunAsync("FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])");

        var modSeq = (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids))[0].ModSeq;
        Assert.Equal($"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (SUBJECT)] {{15}}\r\nSubject: Hi\r\n\r\n FLAGS (\\Seen) MODSEQ ({modSeq}))\r\n", output);
    }

    [Fact]
    public async Task LargeBody_IsStreamedWhole()
    {
        var large = Large(3 * 1024 * 1024);
        await _h.AppendAsync(large);
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync("FETCH 1 (BODY.PEEK[] RFC822.SIZE)");

        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal($"* 1 FETCH (BODY[] {{{large.Length}}}\r\n{large} RFC822.SIZE {large.Length})\r\n", output);
    }
}
