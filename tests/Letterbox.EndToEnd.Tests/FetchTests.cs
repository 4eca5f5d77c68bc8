using System.Text;
using MailKit;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>RFC 9051 §6.4.5 FETCH through MailKit and byte-exact over a raw connection. Each test appends the
/// multipart message of <see cref="Messages.Multipart"/> as UID 1 for its own user.</summary>
public sealed class FetchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Message = Messages.Multipart();
    private static string Text => Encoding.ASCII.GetString(Message);
    private static string HeaderText => Text[..(Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
    private static string BodyText => Text[(Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    private async Task<(RawImapClient Raw, string User, string Password)> SetupAsync(string select = "SELECT")
    {
        var (name, password) = await fixture.Server.AddUserAsync("fetch");
        var raw = await fixture.Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var append = await raw.AppendAsync("ap", "INBOX", Message, "() \" 1-Jan-2024 09:05:07 +0100\"");
        Assert.True(append.IsOk, append.ToString());
        Assert.True((await raw.CommandAsync("se", select + " INBOX")).IsOk);
        return (raw, name, password);
    }

    private static string FetchLine(RawImapClient.Response response, int seq = 1)
    {
        Assert.True(response.IsOk, response.ToString());
        return Assert.Single(response.Untagged, l => l.StartsWith($"* {seq} FETCH (", StringComparison.Ordinal));
    }

    /// <summary>RFC 9051 §6.4.5 / §7.5.2: each BODY[section]&lt;partial&gt; item is answered under exactly the
    /// requested name (CLIENT-QUIRKS 2) with exactly the section's bytes.</summary>
    [Theory]
    [InlineData("BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]", "BODY[HEADER.FIELDS (FROM SUBJECT)]", "From: Alice <alice@example.com>\r\nSubject: multipart test\r\n\r\n")]
    [InlineData("BODY.PEEK[HEADER.FIELDS (subject x-missing)]", "BODY[HEADER.FIELDS (subject x-missing)]", "Subject: multipart test\r\n\r\n")]
    [InlineData("BODY.PEEK[HEADER.FIELDS.NOT (FROM SUBJECT DATE MESSAGE-ID MIME-VERSION CONTENT-TYPE)]", "BODY[HEADER.FIELDS.NOT (FROM SUBJECT DATE MESSAGE-ID MIME-VERSION CONTENT-TYPE)]", "To: Bob <bob@example.org>\r\n\r\n")]
    [InlineData("BODY.PEEK[1]", "BODY[1]", "Part one text.")]
    [InlineData("BODY.PEEK[1.MIME]", "BODY[1.MIME]", "Content-Type: text/plain; charset=us-ascii\r\n\r\n")]
    [InlineData("BODY.PEEK[2]", "BODY[2]", "AAECAwQFBgcICQ==")]
    [InlineData("BODY.PEEK[2.MIME]", "BODY[2.MIME]", "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")]
    [InlineData("BODY.PEEK[]<0.10>", "BODY[]<0>", "From: Alic")]
    [InlineData("BODY.PEEK[1]<5.100>", "BODY[1]<5>", "one text.")]
    [InlineData("BODY.PEEK[1]<5.3>", "BODY[1]<5>", "one")]
    [InlineData("BODY.PEEK[]<100000.10>", "BODY[]<100000>", "")]
    public async Task Fetch_body_section(string item, string responseName, string expected)
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            var line = FetchLine(await raw.CommandAsync("f1", $"FETCH 1 ({item})"));
            var literal = expected.Length == 0 ? $"{responseName} \"\"" : $"{responseName} {{{Encoding.Latin1.GetByteCount(expected)}}}\r\n{expected}";
            var alternative = $"{responseName} {{0}}\r\n";
            // CLIENT-QUIRKS 2: the case of header field names in the response may differ; nothing else may.
            Assert.True(line.Contains(literal, StringComparison.OrdinalIgnoreCase) || (expected.Length == 0 && line.Contains(alternative, StringComparison.OrdinalIgnoreCase)), $"expected {literal}\nin {line}");
            if (expected.Length > 0) Assert.Contains(literal[literal.IndexOf('{', StringComparison.Ordinal)..], line, StringComparison.Ordinal);
        }
    }

    /// <summary>RFC 9051 §6.4.5: BODY[HEADER], BODY[TEXT] and BODY[] of the whole message, byte-exact.</summary>
    [Fact]
    public async Task Fetch_header_text_and_whole()
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            var line = FetchLine(await raw.CommandAsync("f1", "FETCH 1 (BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[] RFC822.SIZE)"));
            Assert.Contains($"BODY[HEADER] {{{HeaderText.Length}}}\r\n{HeaderText}", line, StringComparison.Ordinal);
            Assert.Contains($"BODY[TEXT] {{{BodyText.Length}}}\r\n{BodyText}", line, StringComparison.Ordinal);
            Assert.Contains($"BODY[] {{{Text.Length}}}\r\n{Text}", line, StringComparison.Ordinal);
            Assert.Contains($"RFC822.SIZE {Message.Length}", line, StringComparison.Ordinal);
        }
    }

    /// <summary>RFC 9051 §6.4.5: BODY.PEEK does not set \Seen; BODY[] sets it and the FETCH response reports the
    /// new FLAGS; RFC 3501 §6.4.5 RFC822.TEXT sets \Seen too, RFC822.HEADER does not.</summary>
    [Fact]
    public async Task Body_sets_seen_but_peek_does_not()
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            FetchLine(await raw.CommandAsync("f1", "FETCH 1 BODY.PEEK[]"));
            Assert.Contains("FLAGS ()", FetchLine(await raw.CommandAsync("f2", "FETCH 1 FLAGS")), StringComparison.Ordinal);
            FetchLine(await raw.CommandAsync("f3", "FETCH 1 RFC822.HEADER"));
            Assert.Contains("FLAGS ()", FetchLine(await raw.CommandAsync("f4", "FETCH 1 FLAGS")), StringComparison.Ordinal);
            var body = await raw.CommandAsync("f5", "FETCH 1 BODY[1]");
            Assert.True(body.IsOk, body.ToString());
            Assert.Contains(body.Untagged, l => l.Contains("FLAGS (\\Seen)", StringComparison.Ordinal));
            Assert.Contains("FLAGS (\\Seen)", FetchLine(await raw.CommandAsync("f6", "FETCH 1 FLAGS")), StringComparison.Ordinal);

            Assert.True((await raw.CommandAsync("f7", "STORE 1 -FLAGS.SILENT (\\Seen)")).IsOk);
            var rfc822Text = await raw.CommandAsync("f8", "FETCH 1 RFC822.TEXT");
            Assert.Contains(rfc822Text.Untagged, l => l.Contains($"RFC822.TEXT {{{BodyText.Length}}}\r\n{BodyText}", StringComparison.Ordinal));
            Assert.Contains("\\Seen", FetchLine(await raw.CommandAsync("f9", "FETCH 1 FLAGS")), StringComparison.Ordinal);
        }
    }

    /// <summary>RFC 3501 §6.4.5 RFC822, RFC822.HEADER, RFC822.TEXT, RFC822.SIZE (kept for IMAP4rev1 clients).</summary>
    [Fact]
    public async Task Rfc822_variants()
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            var line = FetchLine(await raw.CommandAsync("f1", "FETCH 1 (RFC822.HEADER RFC822.SIZE)"));
            Assert.Contains($"RFC822.HEADER {{{HeaderText.Length}}}\r\n{HeaderText}", line, StringComparison.Ordinal);
            Assert.Contains($"RFC822.SIZE {Message.Length}", line, StringComparison.Ordinal);
            var all = await raw.CommandAsync("f2", "FETCH 1 RFC822");
            Assert.Contains(all.Untagged, l => l.Contains($"RFC822 {{{Text.Length}}}\r\n{Text}", StringComparison.Ordinal));
        }
    }

    /// <summary>RFC 9051 §7.5.2 / §9: INTERNALDATE is a date-time with a two-character day (CLIENT-QUIRKS 8) and
    /// keeps the APPEND value (§6.3.12); UID FETCH always includes UID (§6.4.9); a single un-parenthesised item
    /// works (CLIENT-QUIRKS 10); the FAST macro.</summary>
    [Fact]
    public async Task Internaldate_uid_and_macros()
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            var line = FetchLine(await raw.CommandAsync("f1", "FETCH 1 INTERNALDATE"));
            Assert.Equal("* 1 FETCH (INTERNALDATE \" 1-Jan-2024 09:05:07 +0100\")", line);
            var uid = FetchLine(await raw.CommandAsync("f2", "UID FETCH 1 FLAGS"));
            Assert.Contains("UID 1", uid, StringComparison.Ordinal);
            var single = FetchLine(await raw.CommandAsync("f3", "uid fetch 1 body.peek[]"));
            Assert.Contains("UID 1", single, StringComparison.Ordinal);
            Assert.Contains($"BODY[] {{{Message.Length}}}", single, StringComparison.Ordinal);
            var fast = FetchLine(await raw.CommandAsync("f4", "FETCH 1 FAST"));
            Assert.Contains("FLAGS (", fast, StringComparison.Ordinal);
            Assert.Contains("INTERNALDATE \" 1-Jan-2024 09:05:07 +0100\"", fast, StringComparison.Ordinal);
            Assert.Contains($"RFC822.SIZE {Message.Length}", fast, StringComparison.Ordinal);
            var all = FetchLine(await raw.CommandAsync("f5", "FETCH 1 ALL"));
            Assert.Contains("ENVELOPE (", all, StringComparison.Ordinal);
            var full = FetchLine(await raw.CommandAsync("f6", "FETCH 1 FULL"));
            Assert.Contains("BODY (", full, StringComparison.Ordinal);
        }
    }

    /// <summary>RFC 9051 §7.5.2 ENVELOPE, BODY and BODYSTRUCTURE syntax exactly per the grammar (§9; CLIENT-QUIRKS
    /// 8). String case of MIME type/subtype/encoding values may vary, so the comparison ignores case.</summary>
    [Fact]
    public async Task Envelope_body_and_bodystructure_exact()
    {
        var (raw, _, _) = await SetupAsync();
        await using (raw)
        {
            var envelope = FetchLine(await raw.CommandAsync("f1", "FETCH 1 ENVELOPE"));
            Assert.Equal("* 1 FETCH (ENVELOPE (\"Tue, 05 Mar 2024 10:00:00 +0000\" \"multipart test\" ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.org\")) NIL NIL NIL \"<multi@example.com>\"))", envelope);
            // body-fld-lines of "Part one text." (no CRLF of its own: it belongs to the boundary) may be 0 or 1.
            var body = FetchLine(await raw.CommandAsync("f2", "FETCH 1 BODY")).Replace(" 14 0)", " 14 1)", StringComparison.Ordinal);
            Assert.Equal("* 1 FETCH (BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 14 1)(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" 16) \"MIXED\"))", body, ignoreCase: true);
            var structure = FetchLine(await raw.CommandAsync("f3", "FETCH 1 BODYSTRUCTURE")).Replace(" 14 0 NIL", " 14 1 NIL", StringComparison.Ordinal);
            Assert.Equal("* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 14 1 NIL NIL NIL NIL)(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" 16 NIL NIL NIL NIL) \"MIXED\" (\"BOUNDARY\" \"XYZ\") NIL NIL NIL))", structure, ignoreCase: true);
        }
    }

    /// <summary>RFC 9051 §6.4.5 through MailKit: FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, UID;
    /// MailKit's strict parsers accept our syntax; BODY[n] through GetBodyPart and partial GetStream.</summary>
    [Fact]
    public async Task Fetch_with_mailkit()
    {
        var (raw, name, password) = await SetupAsync();
        await raw.DisposeAsync();
        using var client = await fixture.Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var summary = Assert.Single(await client.Inbox.FetchAsync(0, -1,
            MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.Envelope |
            MessageSummaryItems.BodyStructure | MessageSummaryItems.UniqueId));
        Assert.Equal(1u, summary.UniqueId.Id);
        Assert.Equal((uint)Message.Length, summary.Size);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 9, 5, 7, TimeSpan.FromHours(1)), summary.InternalDate);
        Assert.Equal("multipart test", summary.Envelope!.Subject);
        Assert.Equal("<multi@example.com>", "<" + summary.Envelope!.MessageId + ">");
        Assert.Equal("alice@example.com", summary.Envelope!.From.Mailboxes.Single().Address);
        Assert.Equal("Bob", summary.Envelope!.To.Mailboxes.Single().Name);
        var multipart = Assert.IsType<BodyPartMultipart>(summary.Body);
        Assert.Equal("mixed", multipart.ContentType.MediaSubtype, ignoreCase: true);
        Assert.Equal(2, multipart.BodyParts.Count);
        var text = Assert.IsType<BodyPartText>(multipart.BodyParts[0]);
        Assert.Equal("us-ascii", text.ContentType.Charset, ignoreCase: true);
        Assert.Equal(14u, text.Octets);
        Assert.InRange(text.Lines, 0u, 1u); // a last line without CRLF may or may not be counted (RFC 9051 §9 body-fld-lines)
        var attachment = Assert.IsType<BodyPartBasic>(multipart.BodyParts[1]);
        Assert.Equal("2", attachment.PartSpecifier);
        Assert.Equal("base64", attachment.ContentTransferEncoding, ignoreCase: true);

        var part = await client.Inbox.GetBodyPartAsync(summary.UniqueId, attachment);
        var mimePart = Assert.IsAssignableFrom<MimePart>(part);
        using var decoded = new MemoryStream();
        await mimePart.Content!.DecodeToAsync(decoded);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), decoded.ToArray());

        using var partial = await client.Inbox.GetStreamAsync(summary.UniqueId, "1", 5, 3);
        using var buffer = new MemoryStream();
        await partial.CopyToAsync(buffer);
        Assert.Equal("one", Encoding.ASCII.GetString(buffer.ToArray()));
        // GetBodyPart uses BODY.PEEK: no \Seen.
        var flags = Assert.Single(await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags));
        Assert.False(flags.Flags?.HasFlag(MessageFlags.Seen));
        var message = await client.Inbox.GetMessageAsync(summary.UniqueId);
        Assert.Equal("multipart test", message.Subject);
    }
}
