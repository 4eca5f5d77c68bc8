using System.Buffers;
using System.Text;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Tests.Selected;

public sealed class SelectedMailboxViewTests
{
    private const uint Star = SequenceSet.Star;

    private static SelectedMailboxView View(params uint[] uids)
        => new(null!, new MailboxInfo(1, 1, "INBOX", 7, 100, 1, SpecialUse.None), false, uids, 1);

    private static string Resolve(SelectedMailboxView view, bool isUid, params (uint, uint)[] ranges)
    {
        var result = new List<(int Seq, uint Uid)>();
        if (!view.TryResolve(new SequenceSet(ranges), isUid, result))
        {
            return "BAD";
        }
        var parts = new List<string>();
        foreach (var (seq, uid) in result)
        {
            parts.Add($"{seq}={uid}");
        }
        return string.Join(' ', parts);
    }

    [Fact]
    public void SequenceNumbersResolveWithStarAndReversedRanges()
    {
        var view = View(10, 20, 30, 40, 50);
        Assert.Equal("2=20 3=30 4=40", Resolve(view, false, (2, 4)));
        Assert.Equal("5=50", Resolve(view, false, (Star, Star)));
        Assert.Equal("2=20 3=30 4=40 5=50", Resolve(view, false, (5, 2)));
        Assert.Equal("3=30 4=40 5=50", Resolve(view, false, (Star, 3)));
        Assert.Equal("1=10 2=20 4=40", Resolve(view, false, (4, 4), (1, 2), (2, 2)));
    }

    /// <summary>Regression: UID 4294967295 is a number, not <c>*</c> (RFC 9051 §9 nz-number / uniqueid); it named the
    /// highest message and let UID MOVE/EXPUNGE touch the wrong one.</summary>
    [Fact]
    public void LargestUidNumberIsNotStar()
    {
        var view = View(10, 20, 30);
        Assert.Equal("", Resolve(view, true, (4294967295, 4294967295)));
        Assert.Equal("BAD", Resolve(view, false, (4294967295, 4294967295)));
        Assert.Equal("3=30", Resolve(view, true, (Star, Star)));
    }

    [Fact]
    public void SequenceNumberBeyondCountIsRefused()
    {
        var view = View(10, 20, 30);
        Assert.Equal("BAD", Resolve(view, false, (4, 4)));
        Assert.Equal("BAD", Resolve(view, false, (2, 9)));
        Assert.Equal("BAD", Resolve(View(), false, (1, Star)));
    }

    [Fact]
    public void UidSetsSkipAbsentUidsAndNeverFail()
    {
        var view = View(10, 20, 30, 40, 50);
        Assert.Equal("3=30 4=40 5=50", Resolve(view, true, (25, Star)));
        Assert.Equal("2=20 3=30", Resolve(view, true, (15, 35)));
        Assert.Equal("", Resolve(view, true, (1000, 1000)));
        Assert.Equal("", Resolve(View(), true, (1, Star)));
    }

    [Fact]
    public void UidRangeFromBeyondHighestStillYieldsHighestMessage()
    {
        // CLIENT-QUIRKS 6: UID n:* with n = UIDNEXT is the new-mail probe.
        var view = View(10, 20, 30);
        Assert.Equal("3=30", Resolve(view, true, (31, Star)));
        Assert.Equal("3=30", Resolve(view, true, (Star, 900)));
    }

    [Fact]
    public void SavedResultResolvesToSavedUidsStillInView()
    {
        var view = View(10, 20, 30, 40, 50);
        view.SavedSearch = [20, 50, 99];
        var result = new List<(int Seq, uint Uid)>();
        Assert.True(view.TryResolve(SequenceSet.SavedResult, false, result));
        Assert.Equal([(2, 20u), (5, 50u)], result);
        result.Clear();
        Assert.True(view.TryResolve(SequenceSet.SavedResult, true, result));
        Assert.Equal([(2, 20u), (5, 50u)], result);
    }

    [Fact]
    public void SequenceNumberAndUidLookups()
    {
        var view = View(10, 20, 30);
        Assert.Equal(3, view.Count);
        Assert.Equal(20u, view.GetUid(2));
        Assert.Equal(3, view.GetSequenceNumber(30));
        Assert.Equal(0, view.GetSequenceNumber(25));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.GetUid(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.GetUid(0));
    }

    [Fact]
    public async Task SyncOfIdleMailboxWritesNothing()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        Assert.Equal("", await SyncAsync(view, true));
    }

    [Fact]
    public async Task SyncReportsNewMessagesWithExists()
    {
        await using var h = await SelectedHarness.CreateAsync(5);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        var added = await h.AppendAsync(h.Inbox.Id, 2);
        Assert.Equal("* 7 EXISTS\r\n", await SyncAsync(view, false));
        Assert.Equal(7, view.Count);
        Assert.Equal(7, view.GetSequenceNumber(added[1]));
        Assert.Equal("", await SyncAsync(view, true));
    }

    [Fact]
    public async Task SyncReportsExpungesHighestFirstSoNumbersStayValid()
    {
        await using var h = await SelectedHarness.CreateAsync(5);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2, 3, 5);
        Assert.Equal("* 5 EXPUNGE\r\n* 3 EXPUNGE\r\n* 2 EXPUNGE\r\n", await SyncAsync(view, true));
        Assert.Equal(2, view.Count);
        Assert.Equal(1u, view.GetUid(1));
        Assert.Equal(4u, view.GetUid(2));
    }

    [Fact]
    public async Task ExpungesStayPendingUntilAllowed()
    {
        await using var h = await SelectedHarness.CreateAsync(5);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2);
        await h.AppendAsync(h.Inbox.Id, 1);

        // While a sequence-number command is answered: new mail may be announced, the expunge may not.
        Assert.Equal("* 6 EXISTS\r\n", await SyncAsync(view, false));
        Assert.Equal(6, view.Count);
        Assert.Equal(2, view.GetSequenceNumber(2));
        Assert.Equal([2u], view.PendingExpunges);

        Assert.Equal("* 2 EXPUNGE\r\n", await SyncAsync(view, true));
        Assert.Equal(5, view.Count);
        Assert.Equal(0, view.GetSequenceNumber(2));
        Assert.Empty(view.PendingExpunges);
    }

    [Fact]
    public async Task SyncReportsFlagChangesByOthersUnlessAlreadySent()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Seen, ["$Work"]);
        Assert.Equal("* 2 FETCH (FLAGS (\\Seen $Work) UID 2)\r\n", await SyncAsync(view, true));

        var stored = await h.Store.StoreFlagsAsync(h.Inbox.Id, [3], FlagOperation.Add, MessageFlags.Flagged, []);
        view.NoteFlagsSent(3, stored.Changed[0].ModSeq);
        Assert.Equal("", await SyncAsync(view, true));
    }

    [Fact]
    public async Task CondstoreAddsModSeqToFlagUpdates()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var view = await SelectedMailboxView.OpenAsync(h.Store, h.Inbox, false, default);
        view.Condstore = true;
        var stored = await h.Store.StoreFlagsAsync(h.Inbox.Id, [1], FlagOperation.Add, MessageFlags.Seen, []);
        Assert.Equal($"* 1 FETCH (FLAGS (\\Seen) UID 1 MODSEQ ({stored.Changed[0].ModSeq}))\r\n", await SyncAsync(view, true));
    }

    [Fact]
    public async Task SyncOfMailboxDeletedElsewhereWritesNothing()
    {
        await using var h = await SelectedHarness.CreateAsync(0);
        var archive = (await h.Store.GetMailboxAsync(h.User.Id, "Archive"))!;
        var view = await SelectedMailboxView.OpenAsync(h.Store, archive, false, default);
        await h.Store.DeleteMailboxAsync(h.User.Id, "Archive");
        Assert.Equal("", await SyncAsync(view, true));
    }

    [Fact]
    public void RemoveExpungedRenumbersAndReportsHighestFirst()
    {
        var view = View(1, 2, 3, 4, 5, 6);
        var output = new ArrayBufferWriter<byte>();
        view.RemoveExpunged([2, 3, 6, 99], new ImapResponseWriter(output));
        Assert.Equal("* 6 EXPUNGE\r\n* 3 EXPUNGE\r\n* 2 EXPUNGE\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.Equal(3, view.Count);
        Assert.Equal(new uint[] { 1, 4, 5 }, view.Uids.ToArray());
    }

    private static async Task<string> SyncAsync(SelectedMailboxView view, bool allowExpunge)
    {
        var output = new ArrayBufferWriter<byte>();
        await view.SyncAsync(allowExpunge, new ImapResponseWriter(output), default);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }
}
