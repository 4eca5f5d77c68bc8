using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

public sealed class SearchTranscriptTests
{
    private static async Task<(SelectedHarness H, SelectedClient Client)> SetUpAsync()
    {
        // UIDs 1..6; 2, 3 and 5 expunged below, so the view is UIDs 1 4 6 7 8 9 as sequence numbers 1..6.
        var h = await SelectedHarness.CreateAsync(6);
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2, 3, 5);
        await h.AppendAsync(h.Inbox.Id, 3, MessageFlags.Seen, subject: "Invoice");
        await h.Store.StoreFlagsAsync(h.Inbox.Id, [4], FlagOperation.Add, MessageFlags.Flagged, []);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        return (h, client);
    }

    [Fact]
    public async Task SearchCombinesKeysAndSequenceSets()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* SEARCH 1 2 3 4 5 6"], await client.SendOkAsync("SEARCH ALL"));
        Assert.Equal(["* SEARCH 4 5 6"], await client.SendOkAsync("SEARCH SEEN"));
        Assert.Equal(["* SEARCH 7 8 9"], await client.SendOkAsync("UID SEARCH SEEN"));
        Assert.Equal(["* SEARCH 5 6"], await client.SendOkAsync("SEARCH 2:* SUBJECT invoice NOT 4"));
        Assert.Equal(["* SEARCH 2 3"], await client.SendOkAsync("SEARCH OR FLAGGED UID 6 UNSEEN 2:*"));
        Assert.Equal(["* SEARCH 2 3"], await client.SendOkAsync("SEARCH UID 4:6"));
        // CLIENT-QUIRKS 1: sequence numbers inside UID SEARCH.
        Assert.Equal(["* SEARCH 7 8"], await client.SendOkAsync("UID SEARCH 4:5 NOT DELETED"));
        Assert.Equal(["* SEARCH 9"], await client.SendOkAsync("UID SEARCH UID 10:*"));
        Assert.Equal(["* SEARCH"], await client.SendOkAsync("SEARCH DELETED"));
        Assert.Equal("a11 BAD Invalid message sequence number", (await client.SendAsync("SEARCH 7"))[^1]);
    }

    [Fact]
    public async Task EsearchReturnsMinMaxCountAll()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* ESEARCH (TAG \"a2\") MIN 1 MAX 6 COUNT 5 ALL 1:3,5:6"],
            await client.SendOkAsync("SEARCH RETURN (MIN MAX COUNT ALL) NOT 4"));
        Assert.Equal(["* ESEARCH (TAG \"a3\") UID ALL 7:9"], await client.SendOkAsync("UID SEARCH RETURN () SEEN"));
        Assert.Equal(["* ESEARCH (TAG \"a4\") UID COUNT 1"], await client.SendOkAsync("UID SEARCH RETURN (COUNT) FLAGGED"));
        Assert.Equal(["* ESEARCH (TAG \"a5\") COUNT 0"], await client.SendOkAsync("SEARCH RETURN (MIN COUNT ALL) DELETED"));
    }

    [Fact]
    public async Task SavedResultFeedsLaterCommands()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Empty(await client.SendOkAsync("UID SEARCH RETURN (SAVE) SEEN"));
        Assert.Equal(["* SEARCH 5 6"], await client.SendOkAsync("SEARCH $ NOT 4"));
        Assert.Equal([@"* 4 FETCH (FLAGS (\Seen \Answered) UID 7)", @"* 5 FETCH (FLAGS (\Seen \Answered) UID 8)",
            @"* 6 FETCH (FLAGS (\Seen \Answered) UID 9)"], await client.SendOkAsync(@"UID STORE $ +FLAGS (\Answered)"));
        Assert.Equal(["* ESEARCH (TAG \"a5\") MIN 1"], await client.SendOkAsync("SEARCH RETURN (MIN SAVE) ALL"));
        Assert.Equal(["* SEARCH 1"], await client.SendOkAsync("UID SEARCH UID $"));
    }
}
