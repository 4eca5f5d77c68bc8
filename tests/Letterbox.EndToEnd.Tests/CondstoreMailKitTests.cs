using MailKit;
using MailKit.Net.Imap;

namespace Letterbox.EndToEnd.Tests;

/// <summary>CONDSTORE and QRESYNC (RFC 7162) as MailKit uses them: HIGHESTMODSEQ on open, FETCH CHANGEDSINCE,
/// STORE UNCHANGEDSINCE with [MODIFIED], and reopening with QRESYNC (VANISHED and flag events).</summary>
public sealed class CondstoreMailKitTests : IClassFixture<ServerFixture>
{
    private readonly TestServer _server;

    public CondstoreMailKitTests(ServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task MailKit_condstore_and_qresync_round_trip()
    {
        var (name, password) = await _server.AddUserAsync("condstore");
        using var a = await _server.ConnectAsync();
        await a.AuthenticateAsync(name, password);
        Assert.True(a.Capabilities.HasFlag(ImapCapabilities.CondStore));
        Assert.True(a.Capabilities.HasFlag(ImapCapabilities.QuickResync));
        await a.EnableQuickResyncAsync();
        var inbox = a.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var uids = new List<UniqueId>();
        for (var i = 0; i < 5; i++)
        {
            uids.Add((await inbox.AppendAsync(Messages.Text("cs " + i)))!.Value);
        }
        await inbox.CloseAsync();
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var uidValidity = inbox.UidValidity;
        var modSeq = inbox.HighestModSeq;
        Assert.True(modSeq > 0);

        // Another client changes flags and expunges.
        await ElsewhereAsync(name, password, uids[1], MessageFlags.Flagged, uids[3]);

        // FETCH (CHANGEDSINCE): only message 2, with its MODSEQ (RFC 7162 §3.1.4.1).
        var changed = await inbox.FetchAsync(uids, new FetchRequest(MessageSummaryItems.Flags | MessageSummaryItems.UniqueId | MessageSummaryItems.ModSeq) { ChangedSince = modSeq });
        var one = Assert.Single(changed);
        Assert.Equal(uids[1], one.UniqueId);
        Assert.Equal(MessageFlags.Flagged, one.Flags);
        Assert.True(one.ModSeq > modSeq);

        // STORE (UNCHANGEDSINCE): message 2 changed after modSeq and fails; message 1 succeeds (§3.1.3).
        var failed = await inbox.StoreAsync([uids[0], uids[1]], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Answered) { UnchangedSince = modSeq, Silent = true });
        Assert.Equal([uids[1]], failed);

        var highest = inbox.HighestModSeq;
        await inbox.CloseAsync();
        await a.DisconnectAsync(true);

        // More changes while A is away, then A reopens with QRESYNC (§3.2.5).
        await ElsewhereAsync(name, password, uids[4], MessageFlags.Seen, uids[0]);
        using var again = await _server.ConnectAsync();
        await again.AuthenticateAsync(name, password);
        await again.EnableQuickResyncAsync();
        var vanished = new List<UniqueId>();
        var flagged = new Dictionary<UniqueId, MessageFlags>();
        again.Inbox.MessagesVanished += (_, e) =>
        {
            Assert.True(e.Earlier);
            vanished.AddRange(e.UniqueIds);
        };
        again.Inbox.MessageFlagsChanged += (_, e) => flagged[e.UniqueId!.Value] = e.Flags;
        await again.Inbox.OpenAsync(FolderAccess.ReadOnly, uidValidity, highest, [uids[0], uids[1], uids[2], uids[4]]);

        Assert.Equal([uids[0]], vanished);
        Assert.Equal(MessageFlags.Seen, Assert.Single(flagged, f => f.Key == uids[4]).Value);
        Assert.Equal(3, again.Inbox.Count);
        await again.DisconnectAsync(true);
    }

    /// <summary>Another client sets <paramref name="flag"/> on <paramref name="flagged"/> and expunges
    /// <paramref name="expunged"/> (UID EXPUNGE).</summary>
    private async Task ElsewhereAsync(string name, string password, UniqueId flagged, MessageFlags flag, UniqueId expunged)
    {
        using var b = await _server.ConnectAsync();
        await b.AuthenticateAsync(name, password);
        await b.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await b.Inbox.AddFlagsAsync(flagged, flag, true);
        await b.Inbox.AddFlagsAsync(expunged, MessageFlags.Deleted, true);
        await b.Inbox.ExpungeAsync([expunged]);
        await b.DisconnectAsync(true);
    }
}
