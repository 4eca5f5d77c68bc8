using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

public sealed class CopyMoveExpungeTranscriptTests
{
    [Fact]
    public async Task CopyAnswersCopyUid()
    {
        await using var h = await SelectedHarness.CreateAsync(4);
        var archive = (await h.Store.GetMailboxAsync(h.User.Id, "Archive"))!;
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var lines = await client.SendAsync("COPY 2:3 Archive");
        Assert.Equal($"a2 OK [COPYUID {archive.UidValidity} 2:3 1:2] COPY completed", lines[^1]);
        lines = await client.SendAsync("UID COPY 4,1 Archive");
        Assert.Equal($"a3 OK [COPYUID {archive.UidValidity} 1,4 3:4] COPY completed", lines[^1]);
        Assert.Equal(4u, (await h.Store.GetStatusAsync(archive.Id)).Messages);
        Assert.Equal(4u, (await h.Store.GetStatusAsync(h.Inbox.Id)).Messages);
    }

    [Fact]
    public async Task CopyToMissingMailboxIsTryCreateAndEmptyUidSetIsPlainOk()
    {
        await using var h = await SelectedHarness.CreateAsync(1);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.StartsWith("a2 NO [TRYCREATE]", (await client.SendAsync("COPY 1 Nowhere"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("a3 NO [TRYCREATE]", (await client.SendAsync("MOVE 1 Nowhere"))[^1], StringComparison.Ordinal);
        Assert.Equal("a4 OK COPY completed (no messages)", (await client.SendAsync("UID COPY 7:9 Trash"))[^1]);
        Assert.Equal("a5 BAD Invalid message sequence number", (await client.SendAsync("COPY 2 Trash"))[^1]);
    }

    [Fact]
    public async Task MoveSendsCopyUidThenExpungesThenOk()
    {
        await using var h = await SelectedHarness.CreateAsync(5);
        var trash = (await h.Store.GetMailboxAsync(h.User.Id, "Trash"))!;
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        var lines = await client.SendAsync("MOVE 2,4:5 Trash");
        Assert.Equal(
        [
            $"* OK [COPYUID {trash.UidValidity} 2,4:5 1:3] Moved",
            "* 5 EXPUNGE",
            "* 4 EXPUNGE",
            "* 2 EXPUNGE",
            "a2 OK MOVE completed",
        ], lines);
        lines = await client.SendAsync("UID MOVE 3 Trash");
        Assert.Equal([$"* OK [COPYUID {trash.UidValidity} 3 4] Moved", "* 2 EXPUNGE", "a3 OK MOVE completed"], lines);
        Assert.Equal(["* SEARCH 1"], await client.SendOkAsync("UID SEARCH ALL"));
        Assert.Equal(4u, (await h.Store.GetStatusAsync(trash.Id)).Messages);
    }

    [Fact]
    public async Task ExpungeReportsEachDeletedMessageWithValidNumbers()
    {
        await using var h = await SelectedHarness.CreateAsync(5);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        await client.SendOkAsync(@"STORE 2:3,5 +FLAGS.SILENT (\Deleted)");
        Assert.Equal(["* 5 EXPUNGE", "* 3 EXPUNGE", "* 2 EXPUNGE"], await client.SendOkAsync("EXPUNGE"));
        Assert.Equal(["* SEARCH 1 2"], await client.SendOkAsync("SEARCH ALL"));
        Assert.Equal(["* SEARCH 1 4"], await client.SendOkAsync("UID SEARCH ALL"));
    }

    [Fact]
    public async Task UidExpungeRemovesOnlyDeletedMessagesInTheSet()
    {
        await using var h = await SelectedHarness.CreateAsync(4);
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [1, 2, 4], FlagOperation.Add, MessageFlags.Deleted, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        Assert.Equal(["* 2 EXPUNGE"], await client.SendOkAsync("UID EXPUNGE 2:3"));
        Assert.Equal(["* SEARCH 1 3 4"], await client.SendOkAsync("UID SEARCH ALL"));
        Assert.Empty(await client.SendOkAsync("UID EXPUNGE 100:200"));
    }
}
