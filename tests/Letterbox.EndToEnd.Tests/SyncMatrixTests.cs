namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// The synchronized view across sessions over TCP (RFC 9051 §5.2, §7.4.1, §7.5.1): session B changes INBOX while
/// session A has it selected and is idling, doing NOOP, FETCH by sequence number or UID FETCH. A must get exactly
/// the untagged EXISTS / FETCH FLAGS / EXPUNGE responses that describe the change, with the right sequence numbers,
/// and never an EXPUNGE while it is answered a FETCH by sequence number.
/// </summary>
public sealed class SyncMatrixTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    /// <summary>What session B does to INBOX (UIDs 1..3; Archive holds one message).</summary>
    public enum Change
    {
        /// <summary>APPEND to INBOX: UID 4.</summary>
        Append,
        /// <summary>UID STORE 2 +FLAGS (\Flagged).</summary>
        FlagChange,
        /// <summary>EXPUNGE of message 2 (\Deleted was set, and seen by A, before).</summary>
        Expunge,
        /// <summary>UID MOVE 2 Archive.</summary>
        MoveOut,
        /// <summary>UID MOVE from Archive into INBOX: UID 4.</summary>
        MoveIn,
    }

    /// <summary>What session A is doing when the change happens (or right after it).</summary>
    public enum Activity
    {
        /// <summary>In IDLE: the change is pushed (expunges allowed, RFC 2177).</summary>
        Idle,
        /// <summary>NOOP after the change (RFC 9051 §6.1.2).</summary>
        Noop,
        /// <summary>FETCH 1:* (UID): no EXPUNGE may be sent (§7.5.1).</summary>
        FetchBySequence,
        /// <summary>UID FETCH 1:* (UID): EXPUNGE allowed (§7.5.1).</summary>
        UidFetch,
    }

    public static TheoryData<Change, Activity> Matrix()
    {
        var data = new TheoryData<Change, Activity>();
        foreach (var change in Enum.GetValues<Change>())
        {
            foreach (var activity in Enum.GetValues<Activity>())
            {
                data.Add(change, activity);
            }
        }
        return data;
    }

    /// <summary>The untagged responses A must get for a change (before the tagged reply of A's command).</summary>
    private static string[] Expected(Change change) => change switch
    {
        Change.Append or Change.MoveIn => ["* 4 EXISTS"],
        Change.FlagChange => [@"* 2 FETCH (FLAGS (\Flagged) UID 2)"],
        _ => ["* 2 EXPUNGE"],
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Session_sees_change_by_other_session(Change change, Activity activity)
    {
        var (a, b) = await TwoSessionsAsync();
        await using var disposeA = a;
        await using var disposeB = b;
        Assert.True((await b.AppendAsync("p4", "Archive", Messages.Raw("Subject: archived", "", "body"))).IsOk);
        Assert.True((await a.CommandAsync("s", "SELECT INBOX")).IsOk);
        Assert.True((await b.CommandAsync("s", change == Change.MoveIn ? "SELECT Archive" : "SELECT INBOX")).IsOk);
        if (change == Change.Expunge)
        {
            Assert.True((await b.CommandAsync("d", @"UID STORE 2 +FLAGS.SILENT (\Deleted)")).IsOk);
            var seen = await a.CommandAsync("n0", "NOOP");
            Assert.Equal([@"* 2 FETCH (FLAGS (\Deleted) UID 2)"], seen.Untagged);
        }

        if (activity == Activity.Idle)
        {
            await a.WriteAsync("i IDLE\r\n");
            Assert.Equal("+ idling", await a.ReadLineAsync());
        }
        await ApplyAsync(b, change);

        var expected = Expected(change);
        switch (activity)
        {
            case Activity.Idle:
                foreach (var line in expected)
                {
                    Assert.Equal(line, await a.ReadLineAsync()); // pushed: the read waits up to 15 s
                }
                await a.WriteAsync("DONE\r\n");
                var done = await a.ReadResponseAsync("i");
                Assert.Equal("i OK IDLE terminated", done.Tagged);
                Assert.Empty(done.Untagged);
                break;
            case Activity.Noop:
                var noop = await a.CommandAsync("n", "NOOP");
                Assert.True(noop.IsOk, noop.ToString());
                Assert.Equal(expected, noop.Untagged);
                break;
            case Activity.FetchBySequence:
                var fetch = await a.CommandAsync("f", "FETCH 1:* (UID)");
                Assert.True(fetch.IsOk, fetch.ToString());
                Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)"], fetch.Untagged.Take(3));
                if (expected[0].EndsWith("EXPUNGE", StringComparison.Ordinal))
                {
                    // RFC 9051 §7.5.1: the expunge waits for a command that may carry it.
                    Assert.DoesNotContain(fetch.Untagged, l => l.EndsWith("EXPUNGE", StringComparison.Ordinal));
                    Assert.Equal(3, fetch.Untagged.Count);
                    var later = await a.CommandAsync("n", "NOOP");
                    Assert.Equal(expected, later.Untagged);
                }
                else
                {
                    Assert.Equal(expected, fetch.Untagged.Skip(3));
                }
                break;
            case Activity.UidFetch:
                var uidFetch = await a.CommandAsync("u", "UID FETCH 1:* (UID)");
                Assert.True(uidFetch.IsOk, uidFetch.ToString());
                Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)"], uidFetch.Untagged.Take(3));
                Assert.Equal(expected, uidFetch.Untagged.Skip(3));
                break;
        }

        // Afterwards A's view equals the mailbox: nothing more is pending, and the numbers match the UIDs.
        var final = await a.CommandAsync("z", "NOOP");
        Assert.Empty(final.Untagged);
        var uids = await a.CommandAsync("y", "FETCH 1:* (UID)");
        string[] expectedUids = change switch
        {
            Change.Append or Change.MoveIn => ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "* 4 FETCH (UID 4)"],
            Change.FlagChange => ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)"],
            _ => ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"],
        };
        Assert.Equal(expectedUids, uids.Untagged);
    }

    /// <summary>RFC 9051 §7.5.1: while an EXPUNGE is held back, a STORE and a SEARCH by sequence number still use
    /// the old numbers (message 3 stays message 3), and the EXPUNGE comes with the next NOOP.</summary>
    [Fact]
    public async Task Held_back_expunge_keeps_numbers_through_store_and_search()
    {
        var (a, b) = await TwoSessionsAsync();
        await using var disposeA = a;
        await using var disposeB = b;
        Assert.True((await a.CommandAsync("s", "SELECT INBOX")).IsOk);
        Assert.True((await b.CommandAsync("s", "SELECT INBOX")).IsOk);
        Assert.True((await b.CommandAsync("m", "UID MOVE 1 Archive")).IsOk);

        var store = await a.CommandAsync("st", @"STORE 3 +FLAGS (\Seen)");
        Assert.Equal([@"* 3 FETCH (FLAGS (\Seen))"], store.Untagged);
        var search = await a.CommandAsync("se", @"SEARCH SEEN");
        Assert.Equal(["* SEARCH 3"], search.Untagged);
        var noop = await a.CommandAsync("n", "NOOP");
        Assert.Equal(["* 1 EXPUNGE"], noop.Untagged);
        Assert.Equal(["* SEARCH 2"], (await a.CommandAsync("se2", "SEARCH SEEN")).Untagged);
    }

    /// <summary>A new user with messages UIDs 1..3 in INBOX, and two raw sessions logged in as that user.</summary>
    private async Task<(RawImapClient A, RawImapClient B)> TwoSessionsAsync()
    {
        var (name, password) = await Server.AddUserAsync("sync");
        var a = await Server.ConnectRawAsync();
        var b = await Server.ConnectRawAsync();
        await a.LoginAsync(name, password);
        await b.LoginAsync(name, password);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True((await b.AppendAsync("p" + i, "INBOX", Messages.Raw($"Subject: m{i}", "", "body"))).IsOk);
        }
        return (a, b);
    }

    private static async Task ApplyAsync(RawImapClient b, Change change)
    {
        var response = change switch
        {
            Change.Append => await b.AppendAsync("c", "INBOX", Messages.Raw("Subject: new", "", "body")),
            Change.FlagChange => await b.CommandAsync("c", @"UID STORE 2 +FLAGS.SILENT (\Flagged)"),
            Change.Expunge => await b.CommandAsync("c", "EXPUNGE"),
            Change.MoveOut => await b.CommandAsync("c", "UID MOVE 2 Archive"),
            _ => await b.CommandAsync("c", "UID MOVE 1 INBOX"),
        };
        Assert.True(response.IsOk, response.ToString());
    }
}
