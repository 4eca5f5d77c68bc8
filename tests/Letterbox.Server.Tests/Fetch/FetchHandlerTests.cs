using System.Text;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using static Letterbox.Server.Tests.Fetch.FetchMessages;

namespace Letterbox.Server.Tests.Fetch;

/// <summary>FETCH and UID FETCH through the handler, byte-exact where RFC 9051 §7.5.2 fixes the syntax.</summary>
public sealed class FetchHandlerTests : IAsyncLifetime
{
    private FetchHarness _h = null!;

    public async Task InitializeAsync() => _h = await FetchHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    [Fact]
    public async Task Fetch_UidFlagsInternalDateSize_AreWrittenInRequestOrder()
    {
        await _h.AppendAsync(Simple, MessageFlags.Seen | MessageFlags.Flagged, Date, "$Label");
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE UID)");

        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal(
            $"* 1 FETCH (UID 1 FLAGS (\\Seen \\Flagged $Label) INTERNALDATE \" 1-Jan-2024 10:00:00 +0000\" RFC822.SIZE {Bytes(Simple)})\r\n",
            output);
    }

    [Fact]
    public async Task UidFetch_AlwaysIncludesUid_First()
    {
        await _h.AppendAsync(Simple);
        await _h.AppendAsync(Simple, MessageFlags.Answered);
        await _h.SelectAsync();

        var (result, output) = await _h.RunAsync("UID FETCH 2 FLAGS");

        Assert.Equal(ResponseCondition.Ok, result.Condition);
        Assert.Equal("UID FETCH completed", result.Text);
        Assert.Equal("* 2 FETCH (UID 2 FLAGS (\\Answered))\r\n", output);
    }

    [Fact]
    public async Task Fetch_SeveralMessages_OneResponseEach_InAscendingOrder()
    {
        for (var i = 0; i < 4; i++)
        {
            await _h.AppendAsync(Simple);
        }
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 4,2:1 (FLAGS)");

        Assert.Equal("* 1 FETCH (FLAGS ())\r\n* 2 FETCH (FLAGS ())\r\n* 4 FETCH (FLAGS ())\r\n", output);
    }

    [Fact]
    public async Task Fetch_EnvelopeAndBodyStructure_OfMultipart()
    {
        await _h.AppendAsync(Multipart);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 (ENVELOPE BODYSTRUCTURE BODY)");

        const string envelope =
            "(\"Mon, 1 Jan 2024 10:00:00 +0000\" \"Report\" ((\"Alice\" NIL \"alice\" \"example.com\")) " +
            "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) " +
            "((\"Bob\" NIL \"bob\" \"example.org\")) NIL NIL NIL \"<m1@example.com>\")";
        var text = $"(\"TEXT\" \"PLAIN\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" {Bytes(Part1Body)} 2";
        var binary = $"(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" {Bytes(Part2Body)}";
        var bodyStructure = $"({text} NIL NIL NIL NIL){binary} NIL NIL NIL NIL) \"MIXED\" (\"boundary\" \"XX\") NIL NIL NIL)";
        var body = $"({text}){binary}) \"MIXED\")";
        Assert.Equal($"* 1 FETCH (ENVELOPE {envelope} BODYSTRUCTURE {bodyStructure} BODY {body})\r\n", output);
    }

    [Fact]
    public async Task Fetch_BodyParts_AndMime_AreTheStoredOctets()
    {
        await _h.AppendAsync(Multipart);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[3])");

        Assert.Equal(
            $"* 1 FETCH (BODY[1] {{{Bytes(Part1Body)}}}\r\n{Part1Body} BODY[1.MIME] {{{Bytes(Part1Mime)}}}\r\n{Part1Mime} " +
            $"BODY[2] {{{Bytes(Part2Body)}}}\r\n{Part2Body} BODY[3] \"\")\r\n",
            output);
    }

    [Fact]
    public async Task Fetch_HeaderFields_LabelKeepsTheRequestedList()
    {
        await _h.AppendAsync(Multipart);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 (BODY.PEEK[HEADER.FIELDS (From Subject)])");

        const string fields = "From: Alice <alice@example.com>\r\nSubject: Report\r\n\r\n";
        Assert.Equal($"* 1 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)] {{{Bytes(fields)}}}\r\n{fields})\r\n", output);
    }

    [Fact]
    public async Task Fetch_HeaderFieldsNot_AndHeaderAndText()
    {
        await _h.AppendAsync(Multipart);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Content-Type MIME-Version Date Message-ID To)] BODY.PEEK[HEADER] BODY.PEEK[TEXT])");

        const string fields = "From: Alice <alice@example.com>\r\nSubject: Report\r\n\r\n";
        Assert.Equal(
            $"* 1 FETCH (BODY[HEADER.FIELDS.NOT (CONTENT-TYPE MIME-VERSION DATE MESSAGE-ID TO)] {{{Bytes(fields)}}}\r\n{fields} " +
            $"BODY[HEADER] {{{Bytes(MultipartHeader)}}}\r\n{MultipartHeader} BODY[TEXT] {{{Bytes(MultipartText)}}}\r\n{MultipartText})\r\n",
            output);
    }

    [Fact]
    public async Task Fetch_Partial_LabelShowsOrigin_LengthClipped_OffsetPastEndIsEmpty()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();
        var size = Bytes(Simple);

        var (_, output) = await _h.RunAsync($"FETCH 1 (BODY.PEEK[]<10.20> BODY.PEEK[]<{size - 5}.100> BODY.PEEK[]<{size}.10>)");

        Assert.Equal(
            $"* 1 FETCH (BODY[]<10> {{20}}\r\n{Simple.Substring(10, 20)} BODY[]<{size - 5}> {{5}}\r\n{Simple[^5..]} BODY[]<{size}> \"\")\r\n",
            output);
    }

    [Fact]
    public async Task Fetch_Rfc822Items_UseTheirOwnLabels()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync(readOnly: true);

        var (_, output) = await _h.RunAsync("FETCH 1 (RFC822.HEADER RFC822.TEXT RFC822)");

        const string header = "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Hi\r\n\r\n";
        const string text = "Hello there, Bob.\r\n";
        Assert.Equal(
            $"* 1 FETCH (RFC822.HEADER {{{Bytes(header)}}}\r\n{header} RFC822.TEXT {{{Bytes(text)}}}\r\n{text} " +
            $"RFC822 {{{Bytes(Simple)}}}\r\n{Simple})\r\n",
            output);
    }

    [Fact]
    public async Task Rfc822Size_EqualsLengthOfBody()
    {
        await _h.AppendAsync(Multipart);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 (RFC822.SIZE BODY.PEEK[])");

        var size = Bytes(Multipart);
        Assert.Equal($"* 1 FETCH (RFC822.SIZE {size} BODY[] {{{size}}}\r\n{Multipart})\r\n", output);
    }

    [Fact]
    public async Task BodyPeek_DoesNotSetSeen_Body_Does_AndSendsFlags()
    {
        await _h.AppendAsync(Simple, MessageFlags.Flagged);
        await _h.SelectAsync();
        const string text = "Hello there, Bob.\r\n";

        var (_, peek) = await _h.RunAsync("FETCH 1 BODY.PEEK[TEXT]");
        Assert.Equal($"* 1 FETCH (BODY[TEXT] {{{Bytes(text)}}}\r\n{text})\r\n", peek);
        Assert.Equal(MessageFlags.Flagged, (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids))[0].Flags);

        var (_, read) = await _h.RunAsync("FETCH 1 BODY[TEXT]");
        Assert.Equal($"* 1 FETCH (BODY[TEXT] {{{Bytes(text)}}}\r\n{text} FLAGS (\\Seen \\Flagged))\r\n", read);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids))[0].Flags);

        // Already \Seen: no FLAGS the second time.
        var (_, again) = await _h.RunAsync("FETCH 1 BODY[TEXT]");
        Assert.Equal($"* 1 FETCH (BODY[TEXT] {{{Bytes(text)}}}\r\n{text})\r\n", again);
    }

    [Fact]
    public async Task SettingSeen_IsNotRepeatedByTheNextSync()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync();

        var (_, read) = await _h.RunAsync("FETCH 1 (FLAGS RFC822.TEXT)");
        Assert.StartsWith("* 1 FETCH (FLAGS (\\Seen) RFC822.TEXT {", read);
        Assert.EndsWith("Bob.\r\n)\r\n", read);

        await _h.View.SyncAsync(true, _h.Session.Writer, CancellationToken.None);
        Assert.Equal("", await _h.DrainAsync());
    }

    [Fact]
    public async Task Examine_NeverSetsSeen()
    {
        await _h.AppendAsync(Simple);
        await _h.SelectAsync(readOnly: true);

        var (_, output) = await _h.RunAsync("FETCH 1 BODY[]");

        Assert.Equal($"* 1 FETCH (BODY[] {{{Bytes(Simple)}}}\r\n{Simple})\r\n", output);
        Assert.Equal(MessageFlags.None, (await _h.Store.GetFlagsAsync(_h.Inbox.Id, _h.Uids))[0].Flags);
    }

    [Theory]
    [InlineData("FAST", "FLAGS () INTERNALDATE \" 1-Jan-2024 10:00:00 +0000\" RFC822.SIZE {0}")]
    [InlineData("ALL", "FLAGS () INTERNALDATE \" 1-Jan-2024 10:00:00 +0000\" RFC822.SIZE {0} ENVELOPE (NIL \"Hi\" ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL NIL)")]
    [InlineData("FULL", "FLAGS () INTERNALDATE \" 1-Jan-2024 10:00:00 +0000\" RFC822.SIZE {0} ENVELOPE (NIL \"Hi\" ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL NIL) BODY (\"TEXT\" \"PLAIN\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 19 1)")]
    public async Task Macros_ExpandToTheirItems(string macro, string items)
    {
        await _h.AppendAsync(Simple, MessageFlags.None, Date);
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 " + macro);

        Assert.Equal("* 1 FETCH (" + string.Format(items, Bytes(Simple)) + ")\r\n", output);
    }

    [Fact]
    public async Task EnvelopeStrings_UseTheWritersQuoting()
    {
        await _h.AppendAsync("Subject: Say \"hi\" \\ bye\r\n\r\nx\r\n");
        await _h.SelectAsync();

        var (_, output) = await _h.RunAsync("FETCH 1 ENVELOPE");

        Assert.Equal("* 1 FETCH (ENVELOPE (NIL \"Say \\\"hi\\\" \\\\ bye\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", output);
    }
}
