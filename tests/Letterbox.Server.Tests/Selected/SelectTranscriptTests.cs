using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

public sealed class SelectTranscriptTests
{
    [Fact]
    public async Task SelectWritesTheRequiredResponses()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [1], FlagOperation.Add, MessageFlags.Seen, []);
        var client = await h.ConnectAsync();
        var lines = await client.SendAsync("SELECT inbox");
        var highest = (await h.Store.GetStatusAsync(h.Inbox.Id)).HighestModSeq;
        Assert.Equal(
        [
            @"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)",
            @"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted",
            "* 3 EXISTS",
            "* 0 RECENT",
            "* OK [UNSEEN 2] First unseen",
            $"* OK [UIDVALIDITY {h.Inbox.UidValidity}] UIDs valid",
            "* OK [UIDNEXT 4] Predicted next UID",
            $"* OK [HIGHESTMODSEQ {highest}] Highest",
            "a1 OK [READ-WRITE] SELECT completed",
        ], lines);
    }

    [Fact]
    public async Task ExamineIsReadOnlyWithNoPermanentFlags()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        var lines = await client.SendAsync("EXAMINE INBOX");
        Assert.Contains("* OK [PERMANENTFLAGS ()] No permanent flags permitted", lines);
        Assert.Contains("* 2 EXISTS", lines);
        Assert.Equal("a1 OK [READ-ONLY] EXAMINE completed", lines[^1]);
        Assert.StartsWith("a2 NO [READ-ONLY]", (await client.SendAsync("STORE 1 +FLAGS (\\Seen)"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("a3 NO [READ-ONLY]", (await client.SendAsync("EXPUNGE"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imap4Rev2OmitsRecentAndUnseenAndSendsList()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("ENABLE IMAP4rev2");
        var lines = await client.SendOkAsync("SELECT INBOX");
        Assert.DoesNotContain("* 0 RECENT", lines);
        Assert.DoesNotContain(lines, l => l.Contains("UNSEEN", StringComparison.Ordinal));
        Assert.Contains("* LIST () \"/\" INBOX", lines);
    }

    [Fact]
    public async Task ReselectSendsClosedAndFailedSelectDeselects()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var lines = await client.SendAsync("SELECT Trash");
        Assert.Equal("* OK [CLOSED] Previous mailbox closed", lines[0]);
        Assert.Contains("* 0 EXISTS", lines);
        lines = await client.SendAsync("SELECT Nowhere");
        Assert.Equal("* OK [CLOSED] Previous mailbox closed", lines[0]);
        Assert.Equal("a3 NO [NONEXISTENT] No such mailbox", lines[^1]);
        Assert.StartsWith("a4 BAD", (await client.SendAsync("SEARCH ALL"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseExpungesSilentlyAndUnselectDoesNot()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        await client.SendOkAsync("STORE 2 +FLAGS.SILENT (\\Deleted)");
        Assert.Empty(await client.SendOkAsync("UNSELECT"));
        Assert.Equal(3u, (await h.Store.GetStatusAsync(h.Inbox.Id)).Messages);

        await client.SendOkAsync("SELECT INBOX");
        Assert.Empty(await client.SendOkAsync("CLOSE"));
        Assert.Equal(2u, (await h.Store.GetStatusAsync(h.Inbox.Id)).Messages);
        Assert.StartsWith("a6 BAD", (await client.SendAsync("CLOSE"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseAfterExamineExpungesNothing()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [1], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("EXAMINE INBOX");
        await client.SendOkAsync("CLOSE");
        Assert.Equal(2u, (await h.Store.GetStatusAsync(h.Inbox.Id)).Messages);
    }

    [Fact]
    public async Task OtherSessionsChangesAppearAfterNoop()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var first = await h.ConnectAsync();
        var second = await h.ConnectAsync();
        await first.SendOkAsync("SELECT INBOX");
        await second.SendOkAsync("SELECT INBOX");
        await second.SendOkAsync("STORE 1 +FLAGS (\\Flagged)");
        await second.SendOkAsync("STORE 3 +FLAGS.SILENT (\\Deleted)");
        Assert.Equal(["* 3 EXPUNGE"], await second.SendOkAsync("EXPUNGE"));
        await h.AppendAsync(h.Inbox.Id, 1);

        Assert.Equal(
        [
            "* 3 EXPUNGE",
            "* 3 EXISTS",
            @"* 1 FETCH (FLAGS (\Flagged) UID 1)",
        ], await first.SendOkAsync("NOOP"));
        Assert.Empty(await first.SendOkAsync("CHECK"));
    }

    [Fact]
    public async Task ExpungeByOthersIsHeldBackDuringSequenceNumberCommands()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2);
        // The expunged message keeps sequence number 2 but no longer matches (RFC 9051 §7.5.1).
        Assert.Equal(["* SEARCH 1 3"], await client.SendOkAsync("SEARCH 1:3"));
        Assert.StartsWith("a3 OK", (await client.SendAsync("STORE 2 +FLAGS (\\Seen)"))[^1], StringComparison.Ordinal);
        Assert.Equal(["* SEARCH 1 3", "* 2 EXPUNGE"], await client.SendOkAsync("UID SEARCH ALL"));
    }
}
