using Letterbox.Mail.Messages;
using Letterbox.Server.Tests.Selected;

namespace Letterbox.Server.Tests.Fetch;

/// <summary>FETCH over a whole connection: registration, tagged replies, and the interplay with the sync that
/// precedes every tagged reply.</summary>
public sealed class FetchTranscriptTests
{
    // SelectedHarness messages: "From: bob@example.com\r\nTo: alice@example.com\r\nSubject: Hello {i}\r\n\r\nBody {i}\r\n".
    private const int MessageSize = 74;

    [Fact]
    public async Task FetchAndUidFetch_AnswerWithTaggedOk()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");

        var fetch = await client.SendAsync("FETCH 1:* (UID FLAGS)");
        Assert.Equal(
        [
            @"* 1 FETCH (UID 1 FLAGS ())",
            @"* 2 FETCH (UID 2 FLAGS ())",
            @"* 3 FETCH (UID 3 FLAGS ())",
            client.LastTag + " OK FETCH completed",
        ], fetch);
        var uidFetch = await client.SendAsync("uid fetch 3:* rfc822.size");
        Assert.Equal(
        [
            $"* 3 FETCH (UID 3 RFC822.SIZE {MessageSize})",
            client.LastTag + " OK UID FETCH completed",
        ], uidFetch);
    }

    [Fact]
    public async Task BodyLiteral_SetsSeen_AndTheNextSyncDoesNotRepeatTheFlags()
    {
        await using var h = await SelectedHarness.CreateAsync(2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");

        Assert.Equal(
        [
            $"* 2 FETCH (UID 2 BODY[] {{{MessageSize}}}",
            "From: bob@example.com",
            "To: alice@example.com",
            "Subject: Hello 1",
            "",
            "Body 1",
            @" FLAGS (\Seen))",
        ], await client.SendOkAsync("UID FETCH 2 BODY[]"));
        Assert.Empty(await client.SendOkAsync("NOOP"));
        Assert.Equal(MessageFlags.Seen, (await h.Store.GetFlagsAsync(h.Inbox.Id, [2]))[0].Flags);
    }

    [Fact]
    public async Task InvalidSequenceNumber_IsBad()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");

        var lines = await client.SendAsync("FETCH 4 FLAGS");

        Assert.Equal([client.LastTag + " BAD Invalid message sequence number"], lines);
    }

    [Fact]
    public async Task ExpungedElsewhere_IsSkipped_AndTheExpungeWaitsForACommandThatMayShiftNumbers()
    {
        await using var h = await SelectedHarness.CreateAsync(3);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2);

        var lines = await client.SendOkAsync("FETCH 1:3 (FLAGS)");

        Assert.Equal([@"* 1 FETCH (FLAGS ())", @"* 3 FETCH (FLAGS ())"], lines);
        Assert.Equal(["* 2 EXPUNGE"], await client.SendOkAsync("NOOP"));
    }
}
