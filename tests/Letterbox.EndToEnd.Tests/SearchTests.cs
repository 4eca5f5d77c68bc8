using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>A server with one user whose "Search" mailbox holds six known messages (UIDs 1–6).</summary>
public sealed class SearchFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public string User { get; private set; } = "";
    public string Password { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        (User, Password) = await Server.AddUserAsync("search");
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(User, Password);
        var box = (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Search", true))!;
        var big = new StringBuilder();
        for (var i = 0; i < 100; i++) big.Append("This line makes the message larger than four kB. ").Append(i).Append("\r\n");
        await AddAsync(box, 1, "alice@example.com", "Quarterly report", "numbers attached", MessageFlags.Seen);
        await AddAsync(box, 2, "carol@example.net", "Lunch?", "Grüße aus München", MessageFlags.Flagged);
        await AddAsync(box, 3, "alice@example.com", "Re: Quarterly report", "looks good", MessageFlags.Seen | MessageFlags.Answered, cc: "dave@example.org");
        await AddAsync(box, 4, "eve@example.com", "Café meeting", "plain", MessageFlags.Deleted);
        await AddAsync(box, 5, "bob@example.org", "Big one", big.ToString(), MessageFlags.None, keyword: "$Important");
        await AddAsync(box, 6, "carol@example.net", "Draft", "unfinished", MessageFlags.Draft);
        await client.DisconnectAsync(true);
    }

    /// <summary>Date header and INTERNALDATE of message n.</summary>
    public static DateTimeOffset DateOf(int n) => n switch
    {
        1 => new DateTimeOffset(2024, 1, 10, 12, 0, 0, TimeSpan.Zero),
        2 => new DateTimeOffset(2024, 2, 15, 12, 0, 0, TimeSpan.Zero),
        3 => new DateTimeOffset(2024, 3, 20, 12, 0, 0, TimeSpan.Zero),
        4 => new DateTimeOffset(2024, 4, 1, 12, 0, 0, TimeSpan.Zero),
        5 => new DateTimeOffset(2024, 5, 5, 12, 0, 0, TimeSpan.Zero),
        _ => new DateTimeOffset(2024, 6, 6, 12, 0, 0, TimeSpan.Zero),
    };

    private static async Task AddAsync(IMailFolder box, int n, string from, string subject, string body, MessageFlags flags, string? cc = null, string? keyword = null)
    {
        var message = Messages.Text(subject, body, from, "bob@example.org", DateOf(n), $"id{n}@search.example");
        if (cc is not null) message.Cc.Add(MailboxAddress.Parse(cc));
        var request = new AppendRequest(message, flags, DateOf(n));
        if (keyword is not null) request.Keywords = new HashSet<string> { keyword };
        var uid = await box.AppendAsync(request);
        Assert.Equal((uint)n, uid?.Id);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>RFC 9051 §6.4.4 SEARCH (UID SEARCH through MailKit, and raw SEARCH for the response syntax).</summary>
public sealed class SearchTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    private async Task<(ImapClient Client, ImapFolder Box)> OpenAsync()
    {
        var client = await fixture.Server.ConnectAsync();
        await client.AuthenticateAsync(fixture.User, fixture.Password);
        var box = (ImapFolder)await client.GetFolderAsync("Search");
        await box.OpenAsync(FolderAccess.ReadOnly);
        return (client, box);
    }

    public static TheoryData<string, int[]> Queries => new()
    {
        // name, expected UIDs
        { "all", [1, 2, 3, 4, 5, 6] },
        { "from-alice", [1, 3] },
        { "subject-case-insensitive", [1, 3] },
        { "seen", [1, 3] },
        { "not-seen", [2, 4, 5, 6] },
        { "flagged", [2] },
        { "answered", [3] },
        { "deleted", [4] },
        { "draft", [6] },
        { "keyword", [5] },
        { "not-keyword", [1, 2, 3, 4, 6] },
        { "or-from", [2, 4, 6] },
        { "not-or", [4, 5, 6] },
        { "or-nested-and", [4, 6] },
        { "larger", [5] },
        { "smaller", [1, 2, 3, 4, 6] },
        { "sentsince", [3, 4, 5, 6] },
        { "sentbefore", [1, 2] },
        { "senton", [3] },
        { "since", [4, 5, 6] },
        { "before", [1, 2, 3] },
        { "on", [2] },
        { "body-utf8", [2] },
        { "subject-utf8-encoded-word", [4] },
        { "text-body", [3] },
        { "text-header", [3] },
        { "cc", [3] },
        { "to", [1, 2, 3, 4, 5, 6] },
        { "header-message-id", [5] },
        { "no-match", [] },
        { "and-from-seen", [1, 3] },
        { "and-from-answered", [3] },
    };

    private static SearchQuery Query(string name) => name switch
    {
        "all" => SearchQuery.All,
        "from-alice" => SearchQuery.FromContains("alice"),
        "subject-case-insensitive" => SearchQuery.SubjectContains("QUARTERLY"),
        "seen" => SearchQuery.Seen,
        "not-seen" => SearchQuery.NotSeen,
        "flagged" => SearchQuery.Flagged,
        "answered" => SearchQuery.Answered,
        "deleted" => SearchQuery.Deleted,
        "draft" => SearchQuery.Draft,
        "keyword" => SearchQuery.HasKeyword("$Important"),
        "not-keyword" => SearchQuery.NotKeyword("$Important"),
        "or-from" => SearchQuery.FromContains("carol").Or(SearchQuery.FromContains("eve")),
        "not-or" => SearchQuery.Not(SearchQuery.Seen.Or(SearchQuery.Flagged)),
        "or-nested-and" => SearchQuery.FromContains("carol").And(SearchQuery.NotFlagged).Or(SearchQuery.SubjectContains("meeting")),
        "larger" => SearchQuery.LargerThan(4000),
        "smaller" => SearchQuery.SmallerThan(4000),
        "sentsince" => SearchQuery.SentSince(new DateTime(2024, 3, 20)),
        "sentbefore" => SearchQuery.SentBefore(new DateTime(2024, 3, 20)),
        "senton" => SearchQuery.SentOn(new DateTime(2024, 3, 20)),
        "since" => SearchQuery.DeliveredAfter(new DateTime(2024, 4, 1)),
        "before" => SearchQuery.DeliveredBefore(new DateTime(2024, 4, 1)),
        "on" => SearchQuery.DeliveredOn(new DateTime(2024, 2, 15)),
        "body-utf8" => SearchQuery.BodyContains("München"),
        "subject-utf8-encoded-word" => SearchQuery.SubjectContains("Café"),
        "text-body" => SearchQuery.MessageContains("looks good"),
        "text-header" => SearchQuery.MessageContains("dave@example.org"),
        "cc" => SearchQuery.CcContains("dave"),
        "to" => SearchQuery.ToContains("bob@example.org"),
        "header-message-id" => SearchQuery.HeaderContains("Message-ID", "id5@search.example"),
        "no-match" => SearchQuery.SubjectContains("zebra-unicorn"),
        "and-from-seen" => SearchQuery.FromContains("alice").And(SearchQuery.Seen),
        "and-from-answered" => SearchQuery.FromContains("alice").And(SearchQuery.Answered),
        _ => throw new ArgumentException(name),
    };

    /// <summary>RFC 9051 §6.4.4 search keys, one case each (MailKit sends UID SEARCH, with CHARSET UTF-8 when the
    /// text is not ASCII).</summary>
    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Search_key(string name, int[] expected)
    {
        var (client, box) = await OpenAsync();
        using (client)
        {
            var result = await box.SearchAsync(Query(name));
            Assert.Equal(expected.Select(i => (uint)i).ToArray(), result.Select(u => u.Id).ToArray());
        }
    }

    /// <summary>RFC 9051 §6.4.4 / §9 sequence-set: "5:2" is the same as "2:5"; "*:3" means 3 to the last; UID
    /// ranges; sequence sets combined with other keys; a parenthesised list (AND).</summary>
    [Theory]
    [InlineData("5:2", new[] { 2, 3, 4, 5 })]
    [InlineData("*:3", new[] { 3, 4, 5, 6 })]
    [InlineData("1,3,5:*", new[] { 1, 3, 5, 6 })]
    [InlineData("UID 2:4", new[] { 2, 3, 4 })]
    [InlineData("UID 4:2 SEEN", new[] { 3 })]
    [InlineData("UID 7:*", new[] { 6 })]
    [InlineData("2:4 NOT DELETED", new[] { 2, 3 })]
    [InlineData("(FROM alice SEEN) OR DRAFT DELETED", new int[0])]
    [InlineData("OR (FROM alice SEEN) (OR DRAFT DELETED)", new[] { 1, 3, 4, 6 })]
    [InlineData("NOT NOT FLAGGED", new[] { 2 })]
    [InlineData("OR OR FLAGGED DRAFT ANSWERED", new[] { 2, 3, 6 })]
    [InlineData("UNDELETED UNSEEN", new[] { 2, 5, 6 })]
    [InlineData("UNKEYWORD $Important UNFLAGGED UNANSWERED UNDRAFT", new[] { 1, 4 })]
    [InlineData("SUBJECT \"\"", new[] { 1, 2, 3, 4, 5, 6 })]
    public async Task Search_raw_criteria(string criteria, int[] expected)
    {
        var (client, box) = await OpenAsync();
        using (client)
        {
            var result = (await box.SearchAsync(criteria)).UniqueIds;
            Assert.Equal(expected.Select(i => (uint)i).ToArray(), result.Select(u => u.Id).ToArray());
        }
    }

    /// <summary>RFC 3501 §7.2.5 / RFC 9051 §7.3.4: SEARCH answered with an untagged SEARCH of sequence numbers
    /// (IMAP4rev2 not enabled); CHARSET UTF-8 with a literal of non-ASCII text (§6.4.4); an unknown charset is
    /// NO [BADCHARSET].</summary>
    [Fact]
    public async Task Search_raw_syntax_and_charset()
    {
        await using var raw = await fixture.Server.ConnectRawAsync();
        await raw.LoginAsync(fixture.User, fixture.Password);
        Assert.True((await raw.CommandAsync("s0", "EXAMINE Search")).IsOk);
        var plain = await raw.CommandAsync("s1", "SEARCH FROM alice");
        Assert.Equal(["* SEARCH 1 3"], plain.Untagged);
        var empty = await raw.CommandAsync("s2", "SEARCH SUBJECT nothing-matches-this");
        Assert.Equal(["* SEARCH"], empty.Untagged);

        var text = Encoding.UTF8.GetBytes("München");
        await raw.WriteAsync($"s3 SEARCH CHARSET UTF-8 BODY {{{text.Length}}}\r\n");
        var cont = await raw.ReadLineAsync();
        Assert.StartsWith("+", cont, StringComparison.Ordinal);
        await raw.WriteAsync([.. text, (byte)'\r', (byte)'\n']);
        var utf8 = await raw.ReadResponseAsync("s3");
        Assert.True(utf8.IsOk, utf8.ToString());
        Assert.Equal(["* SEARCH 2"], utf8.Untagged);

        var bad = await raw.CommandAsync("s4", "SEARCH CHARSET X-NO-SUCH-CHARSET SUBJECT x");
        Assert.StartsWith("s4 NO [BADCHARSET (UTF-8 US-ASCII ", bad.Tagged, StringComparison.Ordinal);
        var uid = await raw.CommandAsync("s5", "UID SEARCH 5:2");
        Assert.Equal(["* SEARCH 2 3 4 5"], uid.Untagged);
        var malformed = await raw.CommandAsync("s6", "SEARCH NOSUCHKEY");
        Assert.Equal("BAD", malformed.Status);
    }

    /// <summary>RFC 9051 §6.4.4: search strings in a legacy CHARSET are decoded from it and match the messages'
    /// decoded text whatever charset those use (message 2's body is UTF-8/QP "Grüße aus München", message 4's
    /// subject "Café meeting"). MailKit always searches with CHARSET UTF-8, so these go raw, as literals.</summary>
    [Theory]
    [InlineData("ISO-8859-1", "BODY", "münchen", "* SEARCH 2")]
    [InlineData("windows-1252", "SUBJECT", "CAFÉ", "* SEARCH 4")]
    [InlineData("ISO-8859-15", "TEXT", "grüße", "* SEARCH 2")]
    [InlineData("Shift_JIS", "BODY", "München", "* SEARCH")] // ü has no Shift_JIS form: '?' is sent, nothing matches
    [InlineData("KOI8-R", "TEXT", "Привет", "* SEARCH")]
    [InlineData("ISO-2022-JP", "SUBJECT", "meeting", "* SEARCH 4")]
    [InlineData("GB2312", "SUBJECT", "Lunch", "* SEARCH 2")]
    public async Task Search_strings_in_a_legacy_charset_are_decoded_from_it(string charset, string key, string needle, string expected)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(charset).GetBytes(needle);
        await using var raw = await fixture.Server.ConnectRawAsync();
        await raw.LoginAsync(fixture.User, fixture.Password);
        Assert.True((await raw.CommandAsync("c0", "EXAMINE Search")).IsOk);
        await raw.WriteAsync($"c1 SEARCH CHARSET {charset} {key} {{{bytes.Length}}}\r\n");
        Assert.StartsWith("+", await raw.ReadLineAsync(), StringComparison.Ordinal);
        await raw.WriteAsync([.. bytes, (byte)'\r', (byte)'\n']);
        var response = await raw.ReadResponseAsync("c1");
        Assert.True(response.IsOk, response.ToString());
        Assert.Equal([expected], response.Untagged);
    }

    /// <summary>RFC 5032: WITHIN is advertised, and OLDER/YOUNGER compare INTERNALDATE (2024) with the clock.</summary>
    [Fact]
    public async Task Older_and_younger_follow_the_internal_date()
    {
        await using var raw = await fixture.Server.ConnectRawAsync();
        var capability = await raw.CommandAsync("w0", "CAPABILITY");
        Assert.Contains(" WITHIN", capability.Untagged[0], StringComparison.Ordinal);
        await raw.LoginAsync(fixture.User, fixture.Password);
        Assert.True((await raw.CommandAsync("w1", "EXAMINE Search")).IsOk);
        Assert.Equal(["* SEARCH 1 2 3 4 5 6"], (await raw.CommandAsync("w2", "SEARCH OLDER 86400")).Untagged);
        Assert.Equal(["* SEARCH"], (await raw.CommandAsync("w3", "SEARCH YOUNGER 86400")).Untagged);
        // Message 6 is from 2024-06-06: younger than a span reaching back to before it.
        var since = (long)(DateTimeOffset.UtcNow - SearchFixture.DateOf(6)).TotalSeconds + 86400;
        Assert.Equal(["* SEARCH 6"], (await raw.CommandAsync("w4", $"SEARCH YOUNGER {since} NOT OLDER {since}")).Untagged);
    }
}
