using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

public sealed class StoreTranscriptTests
{
    [Fact]
    public async Task StoreReportsEveryMessageInTheSetIncludingUnchangedOnes()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Seen, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.Equal(
        [
            @"* 1 FETCH (FLAGS (\Seen))",
            @"* 2 FETCH (FLAGS (\Seen))",
            @"* 3 FETCH (FLAGS (\Seen))",
        ], await client.SendOkAsync(@"STORE 1:* +FLAGS (\Seen)"));
        Assert.Equal([@"* 2 FETCH (FLAGS (\Seen \Flagged $Work))"], await client.SendOkAsync(@"store 2 flags (\Flagged \Seen $Work)"));
        Assert.Equal([@"* 2 FETCH (FLAGS ($Work))"], await client.SendOkAsync(@"STORE 2 -FLAGS (\Seen \Flagged)"));
        var state = await h.Store.GetFlagsAsync(h.Inbox.Id, [2]);
        Assert.Equal(MessageFlags.None, state[0].Flags);
        Assert.Equal(["$Work"], state[0].Keywords);
    }

    [Fact]
    public async Task SilentStoreSendsNothingAndIsNotEchoedLater()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.Empty(await client.SendOkAsync(@"STORE 1:2 +FLAGS.SILENT (\Answered)"));
        Assert.Empty(await client.SendOkAsync("NOOP"));
        Assert.Equal(MessageFlags.Answered, (await h.Store.GetFlagsAsync(h.Inbox.Id, [1]))[0].Flags);
    }

    [Fact]
    public async Task StoreIsNotEchoedByTheFollowingSync()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var lines = await client.SendOkAsync(@"STORE 1 +FLAGS (\Seen)");
        Assert.Equal([@"* 1 FETCH (FLAGS (\Seen))"], lines);
        Assert.Empty(await client.SendOkAsync("NOOP"));
    }

    [Fact]
    public async Task UidStoreCarriesUid()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.Equal(
        [
            @"* 2 FETCH (FLAGS (\Deleted) UID 2)",
            @"* 3 FETCH (FLAGS (\Deleted) UID 3)",
        ], await client.SendOkAsync(@"UID STORE 2:99 +FLAGS (\Deleted)"));
        Assert.Empty(await client.SendOkAsync(@"UID STORE 50:60 +FLAGS (\Deleted)"));
    }

    [Fact]
    public async Task StoreBeyondTheMailboxIsBad()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.Equal("a2 BAD Invalid message sequence number", (await client.SendAsync(@"STORE 3 +FLAGS (\Seen)"))[^1]);
        Assert.Equal(MessageFlags.None, (await h.Store.GetFlagsAsync(h.Inbox.Id, [1, 2]))[0].Flags);
    }

    [Fact]
    public async Task UnchangedSinceReportsModifiedAndModSeq()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX (CONDSTORE)");
        var before = (await h.Store.GetStatusAsync(h.Inbox.Id)).HighestModSeq;
        var other = await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.Flagged, []);
        var lines = await client.SendAsync($@"STORE 1:2 (UNCHANGEDSINCE {before}) +FLAGS.SILENT (\Seen)");
        var mine = (await h.Store.GetFlagsAsync(h.Inbox.Id, [1]))[0];
        // With CONDSTORE on, every untagged FETCH carries UID and MODSEQ (RFC 7162 §3.2.4).
        Assert.Equal($@"* 1 FETCH (FLAGS (\Seen) UID 1 MODSEQ ({mine.ModSeq}))", lines[0]);
        Assert.Equal($@"* 2 FETCH (FLAGS (\Flagged) UID 2 MODSEQ ({other.Changed[0].ModSeq}))", lines[1]);
        Assert.Equal("a2 OK [MODIFIED 2] Conditional STORE failed", lines[^1]);
    }

    /// <summary>RFC 9051 §6.4.6 note: a .SILENT store still reports changes made elsewhere, so the client's flags are
    /// determinate. Found by SyncModelTests (seed 2): another session's $Label1 was folded into this session's
    /// silent \Deleted and never reported.</summary>
    [Fact]
    public async Task SilentStoreStillReportsAnotherSessionsChangeToTheSameMessage()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [2], FlagOperation.Add, MessageFlags.None, ["$Label1"]);
        var lines = await client.SendOkAsync(@"STORE 1:2 +FLAGS.SILENT (\Deleted)");
        Assert.Equal([@"* 2 FETCH (FLAGS ($Label1) UID 2)"], lines);
        Assert.Empty(await client.SendOkAsync("NOOP"));
    }
}
