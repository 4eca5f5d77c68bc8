namespace Letterbox.Server.Tests.Selected;

/// <summary>SORT, ESORT and THREAD over a connection (RFC 5256 §3–4, RFC 5957, RFC 5267 §3).</summary>
public sealed class SortThreadTranscriptTests
{
    /// <summary>UIDs 1..7 with UID 2 expunged, so sequence numbers 1..6 are UIDs 1 3 4 5 6 7.</summary>
    internal static async Task<(SelectedHarness H, SelectedClient Client)> SetUpAsync()
    {
        var h = await SelectedHarness.CreateAsync(0);
        await h.AppendRawAsync(h.Inbox.Id,
            "From: Carl <carl@x>\nSubject: banana\nDate: Fri, 5 Jan 2024 10:00:00 +0000\nMessage-ID: <b1@x>",
            "From: gone@x\nSubject: gone",
            "From: Zack <amy@x>\nSubject: Re: apple\nDate: Wed, 3 Jan 2024 10:00:00 +0000\nMessage-ID: <a2@x>\nReferences: <a1@x>",
            "From: Bob <bob@x>\nSubject: apple\nDate: Tue, 2 Jan 2024 01:00:00 -0900\nMessage-ID: <a1@x>",
            "From: zoe@x\nSubject: Fwd: banana\nDate: not a date\nMessage-ID: <b2@x>",
            "From: Dan <dan@x>\nSubject: cherry\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <c1@x>\nIn-Reply-To: <gone@x>",
            "From: eve@x\nSubject: Re: banana\nDate: Thu, 4 Jan 2024 10:00:00 +0000\nMessage-ID: <a3@x>\nReferences: <a1@x>");
        await h.ExpungeElsewhereAsync(h.Inbox.Id, 2);
        var client = await h.ConnectAsync();
        await client.SendOkAsync("SELECT INBOX");
        return (h, client);
    }

    [Fact]
    public async Task SortByEachKey()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        // Sent dates: 1=5 Jan, 2=3 Jan, 3=2 Jan 10:00 UTC, 4=INTERNALDATE (now: no valid Date), 5=1 Jan, 6=4 Jan.
        Assert.Equal(["* SORT 5 3 2 6 1 4"], await client.SendOkAsync("SORT (DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 4 1 6 2 3 5"], await client.SendOkAsync("SORT (REVERSE DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 1 4 6 5"], await client.SendOkAsync("SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 4 1 6 5"], await client.SendOkAsync("SORT (SUBJECT REVERSE DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 3 4 1 5 7 6"], await client.SendOkAsync("UID SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 1 5 6 4"], await client.SendOkAsync("SORT (FROM) UTF-8 ALL"));
        Assert.Equal(["* SORT 3 1 5 6 2 4"], await client.SendOkAsync("SORT (DISPLAYFROM) US-ASCII ALL"));
        // Same INTERNALDATE for all: ties in sequence order, also under REVERSE (RFC 5256 §3).
        Assert.Equal(["* SORT 1 2 3 4 5 6"], await client.SendOkAsync("SORT (REVERSE ARRIVAL) UTF-8 ALL"));
        Assert.Equal(["* SORT 1 2 3 4 5 6"], await client.SendOkAsync("SORT (TO CC DISPLAYTO) UTF-8 ALL"));
        Assert.Equal(["* SORT 3"], await client.SendOkAsync("SORT (SUBJECT) UTF-8 FROM \"bob\""));
        Assert.Equal(["* SORT 2 3 4"], await client.SendOkAsync("SORT (SUBJECT) UTF-8 2:4"));
        Assert.Equal(["* SORT"], await client.SendOkAsync("SORT (SUBJECT) UTF-8 DELETED"));
    }

    /// <summary>The configured bound reaches the store's cache (<see cref="ImapServerOptions.SortCacheMessages"/>),
    /// and a mailbox larger than the bound is still sorted and threaded right.</summary>
    [Fact]
    public async Task SortCacheSmallerThanTheMailbox()
    {
        var h = await SelectedHarness.CreateAsync(0);
        await using var _ = h;
        await h.AppendRawAsync(h.Inbox.Id,
            "Subject: b\nDate: Fri, 5 Jan 2024 10:00:00 +0000",
            "Subject: c\nDate: Wed, 3 Jan 2024 10:00:00 +0000",
            "Subject: a\nDate: Thu, 4 Jan 2024 10:00:00 +0000",
            "Subject: Re: a\nDate: Mon, 1 Jan 2024 10:00:00 +0000");
        var client = await h.ConnectAsync(new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, SortCacheMessages = 2 });
        await client.SendOkAsync("SELECT INBOX");
        Assert.Equal(["* SORT 4 2 3 1"], await client.SendOkAsync("SORT (DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 3 4 1 2"], await client.SendOkAsync("SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* THREAD (4 3)(2)(1)"], await client.SendOkAsync("THREAD ORDEREDSUBJECT UTF-8 ALL"));
        Assert.Equal(2, Letterbox.Mail.Sorting.MailboxSortCache.Of(h.Store).MessageLimit);
    }

    [Fact]
    public async Task EsortAnswersWithEsearchInSortOrder()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* ESEARCH (TAG \"a2\") MIN 4 MAX 5 COUNT 6 ALL 4,1,6,2:3,5"],
            await client.SendOkAsync("SORT RETURN (MIN MAX COUNT ALL) (REVERSE DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"a3\") UID ALL 6,4,3,7,1,5"], await client.SendOkAsync("UID SORT RETURN () (DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"a4\") COUNT 0"], await client.SendOkAsync("SORT RETURN (COUNT MIN) (DATE) UTF-8 DELETED"));
    }

    [Fact]
    public async Task ThreadBothAlgorithms()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* THREAD (5)(3 2)(6 (1)(4))"], await client.SendOkAsync("THREAD ORDEREDSUBJECT UTF-8 ALL"));
        Assert.Equal(["* THREAD (5)(3 (2)(6))(1 4)"], await client.SendOkAsync("THREAD REFERENCES UTF-8 ALL"));
        Assert.Equal(["* THREAD (6)(4 (3)(7))(1 5)"], await client.SendOkAsync("UID THREAD REFERENCES UTF-8 ALL"));
        Assert.Equal(["* THREAD ((2)(6))"], await client.SendOkAsync("THREAD REFERENCES UTF-8 NOT 3 SUBJECT re"));
        Assert.Equal(["* THREAD"], await client.SendOkAsync("THREAD ORDEREDSUBJECT US-ASCII TEXT \"gewp\""));
    }

    [Fact]
    public async Task Refusals()
    {
        var (h, client) = await SetUpAsync();
        await using var _ = h;
        Assert.Equal("a2 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R: use UTF-8 or US-ASCII", (await client.SendAsync("SORT (DATE) KOI8-R ALL"))[^1]);
        Assert.Equal("a3 BAD Invalid message sequence number", (await client.SendAsync("SORT (DATE) UTF-8 9"))[^1]);
        Assert.Equal("a4 BAD Invalid message sequence number", (await client.SendAsync("THREAD REFERENCES UTF-8 7:8"))[^1]);
        Assert.StartsWith("a5 BAD Unknown threading algorithm", (await client.SendAsync("THREAD REFERENCE UTF-8 ALL"))[^1], StringComparison.Ordinal);
        await client.SendOkAsync("UNSELECT");
        Assert.Equal("a7 BAD SORT is only valid in the selected state", (await client.SendAsync("SORT (DATE) UTF-8 ALL"))[^1]);
    }
}
