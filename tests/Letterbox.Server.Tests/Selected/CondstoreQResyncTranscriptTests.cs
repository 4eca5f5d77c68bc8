using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

/// <summary>CONDSTORE and QRESYNC (RFC 7162) on the wire: ENABLE, SELECT (QRESYNC …), VANISHED, HIGHESTMODSEQ
/// codes, UNCHANGEDSINCE, CHANGEDSINCE … VANISHED, SEARCH MODSEQ, STATUS HIGHESTMODSEQ.</summary>
public sealed class CondstoreQResyncTranscriptTests
{
    private static async Task<ulong> HighestAsync(SelectedHarness h, long mailboxId) =>
        (await h.Store.GetStatusAsync(mailboxId)).HighestModSeq;

    [Fact]
    public async Task Capability_ListsCondstoreAndQResync()
    {
        await using var h = await SelectedHarness.CreateAsync(0);
        var client = await h.ConnectAsync();
        var atoms = (await client.SendOkAsync("CAPABILITY"))[0].Split(' ');
        Assert.Contains("CONDSTORE", atoms);
        Assert.Contains("QRESYNC", atoms);
    }

    [Fact]
    public async Task EnableQResync_ImpliesCondstore_AndListsOnlyWhatWasNamed()
    {
        // RFC 7162 §3.2.3: "ENABLE QRESYNC" and "ENABLE QRESYNC CONDSTORE" have identical results.
        await using var h = await SelectedHarness.CreateAsync(1);
        var a = await h.ConnectAsync();
        Assert.Equal(["* ENABLED QRESYNC", "a1 OK ENABLE completed"], await a.SendAsync("ENABLE QRESYNC"));
        Assert.Equal(["* ENABLED", "a2 OK ENABLE completed"], await a.SendAsync("ENABLE CONDSTORE"));
        var b = await h.ConnectAsync();
        Assert.Equal(["* ENABLED QRESYNC CONDSTORE", "a1 OK ENABLE completed"], await b.SendAsync("ENABLE QRESYNC CONDSTORE"));
        var c = await h.ConnectAsync();
        Assert.Equal(["* ENABLED CONDSTORE", "a1 OK ENABLE completed"], await c.SendAsync("enable condstore"));

        // CONDSTORE is on after ENABLE QRESYNC: a plain SELECT's unsolicited FETCH carries UID and MODSEQ.
        await a.SendOkAsync("SELECT INBOX");
        var stored = await h.Store.StoreFlagsAsync(h.Inbox.Id, [1], FlagOperation.Add, MessageFlags.Seen, []);
        Assert.Equal([$@"* 1 FETCH (FLAGS (\Seen) UID 1 MODSEQ ({stored.Changed[0].ModSeq}))"], await a.SendOkAsync("NOOP"));
    }

    [Fact]
    public async Task QResyncParameter_WithoutEnable_IsBad_AndKeepsTheMailboxSelected()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var lines = await client.SendAsync($"SELECT INBOX (QRESYNC ({h.Inbox.UidValidity} 1))");
        Assert.Equal(["a2 BAD QRESYNC parameter needs ENABLE QRESYNC first (RFC 7162 §3.2.5)"], lines);
        Assert.Equal(["* 2 FETCH (UID 2)"], await client.SendOkAsync("FETCH 2 (UID)"));
        Assert.Equal("a4 BAD VANISHED needs ENABLE QRESYNC first (RFC 7162 §3.2.6)",
            (await client.SendAsync("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)"))[^1]);
    }

    [Fact]
    public async Task SelectQResync_SendsVanishedEarlierThenChangedFlags_ForTheKnownUids()
    {
        // RFC 7162 §3.2.5.1: after the usual SELECT data, VANISHED (EARLIER) for what was expunged since the
        // client's mod-sequence, then FETCH (with UID and MODSEQ) for every message changed since.
        await using var h = await SelectedHarness.CreateAsync(8);
        var since = await HighestAsync(h, h.Inbox.Id);
        var flagged = await h.Store.StoreFlagsAsync(h.Inbox.Id, [3, 7], FlagOperation.Add, MessageFlags.Flagged, ["$Work"]);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2, 5, 8);
        var appended = await h.AppendAsync(h.Inbox.Id, 1);
        var newState = (await h.Store.GetFlagsAsync(h.Inbox.Id, appended))[0];
        var highest = await HighestAsync(h, h.Inbox.Id);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");

        var lines = await client.SendAsync($"SELECT INBOX (QRESYNC ({h.Inbox.UidValidity} {since}))");

        var m = flagged.Changed[0].ModSeq;
        Assert.Equal(
        [
            @"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)",
            @"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted",
            "* 6 EXISTS",
            "* 0 RECENT",
            "* OK [UNSEEN 1] First unseen",
            $"* OK [UIDVALIDITY {h.Inbox.UidValidity}] UIDs valid",
            "* OK [UIDNEXT 10] Predicted next UID",
            $"* OK [HIGHESTMODSEQ {highest}] Highest",
            "* VANISHED (EARLIER) 2,5,8",
            $@"* 2 FETCH (FLAGS (\Flagged $Work) UID 3 MODSEQ ({m}))",
            $@"* 5 FETCH (FLAGS (\Flagged $Work) UID 7 MODSEQ ({m}))",
            $"* 6 FETCH (FLAGS () UID 9 MODSEQ ({newState.ModSeq}))",
            "a2 OK [READ-WRITE] SELECT completed",
        ], lines);

        // With known-uids, only those are reported (§3.2.5.1).
        var again = await client.SendAsync($"EXAMINE INBOX (QRESYNC ({h.Inbox.UidValidity} {since} 1:4))");
        Assert.Equal("* OK [CLOSED] Previous mailbox closed", again[0]);
        Assert.Equal(["* VANISHED (EARLIER) 2", $@"* 2 FETCH (FLAGS (\Flagged $Work) UID 3 MODSEQ ({m}))"],
            again.FindAll(l => l.Contains("VANISHED", StringComparison.Ordinal) || l.Contains("FETCH", StringComparison.Ordinal)));
        Assert.Equal("a3 OK [READ-ONLY] EXAMINE completed", again[^1]);
    }

    [Fact]
    public async Task SelectQResync_WithAnotherUidValidity_IsAPlainSelect()
    {
        // RFC 7162 §3.2.5: a UIDVALIDITY mismatch makes the server ignore the remaining parameters.
        await using var h = await SelectedHarness.CreateAsync(3);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");
        var lines = await client.SendAsync($"SELECT INBOX (QRESYNC ({h.Inbox.UidValidity + 1} 1 1:3))");
        Assert.DoesNotContain(lines, l => l.Contains("VANISHED", StringComparison.Ordinal) || l.Contains("FETCH", StringComparison.Ordinal));
        Assert.Equal("a2 OK [READ-WRITE] SELECT completed", lines[^1]);
    }

    [Fact]
    public async Task QResyncEnabled_ExpungeIsVanished_WithHighestModSeqInTheTaggedOk()
    {
        // The example of RFC 7162 §3.2.10.2, UIDs and all:
        //   Message numbers:   1    2    3    4    5  6   7  8  9 10  11
        //   UIDs:              x  504  505  507  508  x 510  x  x  x 625
        //   \Deleted messages:           D    D           D            D
        await using var h = await SelectedHarness.CreateAsync(0);
        await FillWithUidsAsync(h, 625, [1, 504, 505, 507, 508, 509, 510, 511, 512, 513, 625]);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [505, 507, 510, 625], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");
        await client.SendOkAsync("SELECT INBOX");

        var lines = await client.SendAsync("EXPUNGE");

        var highest = await HighestAsync(h, h.Inbox.Id);
        Assert.Equal(["* VANISHED 505,507,510,625", $"a3 OK [HIGHESTMODSEQ {highest}] EXPUNGE completed"], lines);

        // "If subsequently messages with UIDs 504 and 508 got marked as \Deleted" — here by another session.
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 504, 508);
        Assert.Equal(["* VANISHED 504,508", "a4 OK NOOP completed"], await client.SendAsync("NOOP"));
        Assert.StartsWith("* 5 FETCH (UID 513 MODSEQ (", Assert.Single(await client.SendOkAsync("FETCH 5 (UID)")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QResyncEnabled_UidExpungeAndMove_AreVanished()
    {
        await using var h = await SelectedHarness.CreateAsync(4);
        var trash = (await h.Store.GetMailboxAsync(h.User.Id, "Trash"))!;
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");
        await client.SendOkAsync("SELECT INBOX");

        var expunge = await client.SendAsync("UID EXPUNGE 2:3");
        Assert.Equal(["* VANISHED 2", $"a3 OK [HIGHESTMODSEQ {await HighestAsync(h, h.Inbox.Id)}] UID EXPUNGE completed"], expunge);

        var move = await client.SendAsync("UID MOVE 3:4 Trash");
        Assert.Equal(
        [
            $"* OK [COPYUID {trash.UidValidity} 3:4 1:2] Moved",
            "* VANISHED 3:4",
            $"a4 OK [HIGHESTMODSEQ {await HighestAsync(h, h.Inbox.Id)}] MOVE completed",
        ], move);
        // Nothing expunged: no HIGHESTMODSEQ (RFC 7162 §3.2.7 asks for it only after a removal).
        Assert.Equal(["a5 OK EXPUNGE completed"], await client.SendAsync("EXPUNGE"));
    }

    [Fact]
    public async Task CondstoreOnly_ExpungeStaysExpunge_WithHighestModSeq()
    {
        // RFC 7162 §3.2.7, first example: a client that has not enabled QRESYNC still gets EXPUNGE responses.
        await using var h = await SelectedHarness.CreateAsync(3);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2, 3], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX (CONDSTORE)");
        var lines = await client.SendAsync("EXPUNGE");
        Assert.Equal(["* 3 EXPUNGE", "* 2 EXPUNGE", $"a2 OK [HIGHESTMODSEQ {await HighestAsync(h, h.Inbox.Id)}] EXPUNGE completed"], lines);
    }

    [Fact]
    public async Task HighestModSeqInTaggedOk_NeverPassesAnExpungeHeldBack()
    {
        // RFC 7162 §3.2: while an expunge by another session cannot be sent (MOVE by sequence number,
        // RFC 9051 §7.5.1), the HIGHESTMODSEQ the client is given must stay below that expunge's mod-sequence,
        // or a client resynchronizing from it would never learn of the expunge.
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");
        await client.SendOkAsync("SELECT INBOX");
        var beforeExpunge = await HighestAsync(h, h.Inbox.Id);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 3);

        var move = await client.SendAsync("MOVE 1 Trash");

        Assert.Equal("* VANISHED 1", move[1]);
        Assert.Equal($"a3 OK [HIGHESTMODSEQ {beforeExpunge}] MOVE completed", move[^1]);
        Assert.Equal(["* VANISHED 3", "a4 OK NOOP completed"], await client.SendAsync("NOOP"));
    }

    [Fact]
    public async Task UidFetchChangedSinceVanished_ReportsExpungedUidsOfTheSet_FirstAndBeyondTheHighestUid()
    {
        // RFC 7162 §3.2.6; CLIENT-QUIRKS 5: an expunged message that had the highest UID is reported for 1:*.
        await using var h = await SelectedHarness.CreateAsync(6);
        var since = await HighestAsync(h, h.Inbox.Id);
        var stored = await h.Store.StoreFlagsAsync(h.Inbox.Id, [4], FlagOperation.Add, MessageFlags.Seen, []);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2, 6);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE QRESYNC");
        await client.SendOkAsync("SELECT INBOX");

        Assert.Equal(
        [
            "* VANISHED (EARLIER) 2,6",
            $@"* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ ({stored.Changed[0].ModSeq}))",
        ], await client.SendOkAsync($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {since} VANISHED)"));
        Assert.Equal(["* VANISHED (EARLIER) 2"], await client.SendOkAsync($"UID FETCH 1:3 (FLAGS) (CHANGEDSINCE {since} VANISHED)"));
        Assert.Empty(await client.SendOkAsync($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {await HighestAsync(h, h.Inbox.Id)} VANISHED)"));
    }

    [Fact]
    public async Task UnchangedSinceZero_AlwaysFails_Rfc7162Example8()
    {
        // RFC 7162 §3.1.3 Example 8, byte for byte (the message number is 12 there too).
        await using var h = await SelectedHarness.CreateAsync(12);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX (CONDSTORE)");
        var lines = await client.SendAsync("STORE 12 (UNCHANGEDSINCE 0) +FLAGS.SILENT ($MDNSent)");
        Assert.Equal(["a2 OK [MODIFIED 12] Conditional STORE failed"], lines);
        Assert.Empty((await h.Store.GetFlagsAsync(h.Inbox.Id, [12]))[0].Keywords);
    }

    [Fact]
    public async Task FirstCondstoreEnablingCommand_WithAMailboxSelected_SendsHighestModSeq()
    {
        // RFC 7162 §3.1.3 Example 5: STORE … UNCHANGEDSINCE as the first CONDSTORE-enabling command.
        await using var h = await SelectedHarness.CreateAsync(2);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var highest = await HighestAsync(h, h.Inbox.Id);

        var lines = await client.SendAsync($@"STORE 2 (UNCHANGEDSINCE {highest}) -FLAGS.SILENT (\Deleted)");

        Assert.Equal(
        [
            $"* OK [HIGHESTMODSEQ {highest}] Highest",
            $"* 2 FETCH (FLAGS () UID 2 MODSEQ ({highest + 1}))",
            "a2 OK STORE completed",
        ], lines);
        // Only the first time.
        Assert.Equal(["* STATUS INBOX (HIGHESTMODSEQ " + (highest + 1) + ")"], await client.SendOkAsync("STATUS INBOX (HIGHESTMODSEQ)"));
    }

    [Fact]
    public async Task StatusHighestModSeq_IsCondstoreEnabling()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var highest = await HighestAsync(h, h.Inbox.Id);
        Assert.Equal([$"* OK [HIGHESTMODSEQ {highest}] Highest", $"* STATUS INBOX (HIGHESTMODSEQ {highest})"],
            await client.SendOkAsync("STATUS INBOX (HIGHESTMODSEQ)"));
        var stored = await h.Store.StoreFlagsAsync(h.Inbox.Id, [1], FlagOperation.Add, MessageFlags.Seen, []);
        Assert.Equal([$@"* 1 FETCH (FLAGS (\Seen) UID 1 MODSEQ ({stored.Changed[0].ModSeq}))"], await client.SendOkAsync("NOOP"));
    }

    [Fact]
    public async Task SearchModSeq_AppendsTheHighestModSeqOfTheMatches()
    {
        // RFC 7162 §3.1.5 (SEARCH … (MODSEQ n)) and §3.1.10 (ESEARCH … MODSEQ n).
        await using var h = await SelectedHarness.CreateAsync(5);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX (CONDSTORE)");
        var since = await HighestAsync(h, h.Inbox.Id);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Draft, []);
        var last = await h.Store.StoreFlagsAsync(h.Inbox.Id, [4], FlagOperation.Add, MessageFlags.Seen, []);
        await client.SendOkAsync("NOOP");
        var m = last.Changed[0].ModSeq;

        Assert.Equal([$"* SEARCH 2 4 (MODSEQ {m})"], await client.SendOkAsync($"SEARCH MODSEQ \"/flags/\\\\draft\" all {since + 1}"));
        Assert.Equal(["* SEARCH"], await client.SendOkAsync($"SEARCH MODSEQ {m + 1}"));
        Assert.Equal([$"* ESEARCH (TAG \"a5\") UID ALL 2,4 MODSEQ {m}"], await client.SendOkAsync($"UID SEARCH RETURN (ALL) MODSEQ {since + 1}"));
    }

    /// <summary>Fills INBOX so that exactly <paramref name="keep"/> remain, with UIDs up to <paramref name="count"/>
    /// handed out: 25 messages appended once, then copied (no bytes copied) until the UIDs run out.</summary>
    private static async Task FillWithUidsAsync(SelectedHarness h, int count, uint[] keep)
    {
        var archive = (await h.Store.GetMailboxAsync(h.User.Id, "Archive"))!;
        var source = await h.AppendAsync(archive.Id, 25);
        for (var copied = 0; copied < count; copied += source.Count)
        {
            await h.Store.CopyAsync(archive.Id, source, h.Inbox.Id);
        }
        var drop = new List<uint>();
        for (uint uid = 1; uid <= count; uid++)
        {
            if (Array.IndexOf(keep, uid) < 0)
            {
                drop.Add(uid);
            }
        }
        await h.ExpungeElsewhereAsync(h.Inbox.Id, [.. drop]);
    }
}
