namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// THREAD=REFS (draft-ietf-morg-inthread) and PARTIAL (RFC 9394) over a plain TCP connection, byte-exact: the paging a
/// client does for "the newest messages of a huge mailbox" (SORT RETURN (PARTIAL), UID FETCH … (PARTIAL -1:-n)), and
/// SEARCH RETURN (SAVE PARTIAL) feeding <c>$</c> to SORT (RFC 5182 §2.1, RFC 9394 §3.2).
/// </summary>
public sealed class SearchReturnExtensionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>1 "plan" ← 2 ← 4 by References; 3 "lunch"; 5 a second "plan" with no references. Sent on 1..5 Jan.</summary>
    private static readonly string[] Messages =
    [
        "Message-ID: <p1@x>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nSubject: plan\r\n\r\nx\r\n",
        "Message-ID: <p2@x>\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\nSubject: Re: plan\r\nReferences: <p1@x>\r\n\r\nx\r\n",
        "Message-ID: <l1@x>\r\nDate: Wed, 3 Jan 2024 10:00:00 +0000\r\nSubject: lunch\r\n\r\nx\r\n",
        "Message-ID: <p3@x>\r\nDate: Thu, 4 Jan 2024 10:00:00 +0000\r\nSubject: Re: plan\r\nReferences: <p1@x> <p2@x>\r\n\r\nx\r\n",
        "Message-ID: <p9@x>\r\nDate: Fri, 5 Jan 2024 10:00:00 +0000\r\nSubject: plan\r\n\r\nx\r\n",
    ];

    private async Task<RawImapClient> SelectedAsync()
    {
        var (name, password) = await fixture.Server.AddUserAsync("refs");
        var raw = await fixture.Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        for (var i = 0; i < Messages.Length; i++)
        {
            Assert.True((await raw.AppendAsync("ap" + i, "INBOX", RawImapClient.Latin1.GetBytes(Messages[i]))).IsOk);
        }
        Assert.True((await raw.CommandAsync("s1", "SELECT INBOX")).IsOk);
        return raw;
    }

    [Fact]
    public async Task Capability_lists_thread_refs_and_partial()
    {
        await using var raw = await SelectedAsync();
        var atoms = Assert.Single((await raw.CommandAsync("c1", "CAPABILITY")).Untagged).Split(' ');
        Assert.Contains("THREAD=REFS", atoms);
        Assert.Contains("THREAD=REFERENCES", atoms);
        Assert.Contains("PARTIAL", atoms);
    }

    /// <summary>REFERENCES gathers the two "plan" threads under a dummy (RFC 5256 §3 step 5) and orders threads by
    /// their first message; REFS keeps them apart and orders by the newest message.</summary>
    [Fact]
    public async Task Thread_refs_versus_references()
    {
        await using var raw = await SelectedAsync();
        var references = await raw.CommandAsync("t1", "THREAD REFERENCES UTF-8 ALL");
        Assert.Equal("* THREAD ((1 2 4)(5))(3)", Assert.Single(references.Untagged));
        var refs = await raw.CommandAsync("t2", "UID THREAD REFS UTF-8 ALL");
        Assert.Equal("* THREAD (3)(1 2 4)(5)", Assert.Single(refs.Untagged));
        Assert.Equal("t2 OK UID THREAD completed", refs.Tagged);
    }

    [Fact]
    public async Task Newest_page_with_partial()
    {
        await using var raw = await SelectedAsync();
        var sort = await raw.CommandAsync("p1", "UID SORT RETURN (PARTIAL 1:2 COUNT) (REVERSE DATE) UTF-8 ALL");
        Assert.Equal("* ESEARCH (TAG \"p1\") UID COUNT 5 PARTIAL (1:2 5,4)", Assert.Single(sort.Untagged));
        var search = await raw.CommandAsync("p2", "UID SEARCH RETURN (PARTIAL -1:-2) SUBJECT plan");
        Assert.Equal("* ESEARCH (TAG \"p2\") UID PARTIAL (-1:-2 4:5)", Assert.Single(search.Untagged));
        var fetch = await raw.CommandAsync("p3", "UID FETCH 1:* (UID) (PARTIAL -1:-2)");
        Assert.Equal(["* 4 FETCH (UID 4)", "* 5 FETCH (UID 5)"], fetch.Untagged);
        Assert.Equal("p3 OK UID FETCH completed", fetch.Tagged);

        var save = await raw.CommandAsync("p4", "SEARCH RETURN (SAVE PARTIAL 1:2) NOT SUBJECT lunch");
        Assert.Equal("* ESEARCH (TAG \"p4\") PARTIAL (1:2 1:2)", Assert.Single(save.Untagged));
        var sorted = await raw.CommandAsync("p5", "SORT (REVERSE DATE) UTF-8 $");
        Assert.Equal("* SORT 2 1", Assert.Single(sorted.Untagged));
    }
}
