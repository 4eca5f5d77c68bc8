using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Appends every corpus message once (through MailKit; through a raw LITERAL+ APPEND only when MimeKit's
/// re-serialisation would not reproduce the bytes exactly) and records its UID.</summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public string User { get; private set; } = "";
    public string Password { get; private set; } = "";
    public Dictionary<string, uint> Uids { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> AppendErrors { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        (User, Password) = await Server.AddUserAsync("corpus");
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(User, Password);
        var box = (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Corpus", true))!;
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(User, Password);
        var tag = 0;
        foreach (var name in Corpus.Names)
        {
            var bytes = Corpus.Load(name);
            try
            {
                var message = MimeMessage.Load(new MemoryStream(bytes));
                if (Messages.ToBytes(message).AsSpan().SequenceEqual(bytes))
                {
                    var uid = await box.AppendAsync(new AppendRequest(message));
                    Uids[name] = uid?.Id ?? throw new InvalidOperationException("no APPENDUID");
                }
                else
                {
                    var response = await raw.AppendAsync("c" + tag++, "Corpus", bytes);
                    if (!response.IsOk) throw new InvalidOperationException(response.ToString());
                    var code = response.Tagged.Split("[APPENDUID ")[1].Split(']')[0].Split(' ');
                    Uids[name] = uint.Parse(code[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is ImapCommandException or InvalidOperationException or IndexOutOfRangeException or FormatException)
            {
                AppendErrors[name] = e.Message;
            }
        }
        await client.DisconnectAsync(true);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>CLIENT-QUIRKS 9 and the corpus README: every real message round-trips byte for byte, and what the
/// server reports (RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, BODY[n]) agrees with MimeKit's parse of the same bytes.
/// RFC 9051 §6.3.12 (APPEND), §6.4.5 (FETCH), §7.5.2 (FETCH response items).</summary>
public sealed class CorpusRoundTripTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    public static IEnumerable<object[]> Names() => Corpus.Names.Select(n => new object[] { n });

    /// <summary>RFC 9051 §6.4.5 / §7.5.2: BODY[], RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and each part's BODY[n]
    /// of one corpus message.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public async Task Message_round_trips(string name)
    {
        Assert.False(fixture.AppendErrors.TryGetValue(name, out var error), "APPEND failed: " + error);
        var uid = new UniqueId(fixture.Uids[name]);
        var bytes = Corpus.Load(name);
        var expected = MimeMessage.Load(new MemoryStream(bytes));

        using var client = await fixture.Server.ConnectAsync();
        await client.AuthenticateAsync(fixture.User, fixture.Password);
        var box = await client.GetFolderAsync("Corpus");
        await box.OpenAsync(FolderAccess.ReadOnly);

        // BODY[] is exactly the stored CRLF bytes.
        var whole = await ReadAsync(box, uid, "");
        Assert.True(bytes.AsSpan().SequenceEqual(whole), $"BODY[] differs: {bytes.Length} bytes appended, {whole.Length} fetched; first difference at {FirstDifference(bytes, whole)}");

        var summary = Assert.Single(await box.FetchAsync([uid], MessageSummaryItems.Size | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.UniqueId));
        Assert.Equal((uint)bytes.Length, summary.Size);

        // ENVELOPE agrees with MimeKit.
        var envelope = summary.Envelope!;
        Assert.Equal(expected.Subject ?? "", envelope.Subject ?? "");
        Assert.Equal(expected.MessageId, envelope.MessageId);
        Assert.Equal(Addresses(expected.From), Addresses(envelope.From));
        Assert.Equal(Addresses(expected.To), Addresses(envelope.To));
        Assert.Equal(Addresses(expected.Cc), Addresses(envelope.Cc));

        // BODYSTRUCTURE agrees with MimeKit's tree, and each part's size with BODY[n].
        var problems = new List<string>();
        CompareTree(expected.Body, summary.Body, "", problems);
        await CompareSizesAsync(box, uid, summary.Body, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task<byte[]> ReadAsync(IMailFolder box, UniqueId uid, string section)
    {
        using var stream = await box.GetStreamAsync(uid, section);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static string FirstDifference(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i]) return $"offset {i}: expected \"{Excerpt(a, i)}\" got \"{Excerpt(b, i)}\"";
        }
        return $"offset {n} (length)";
    }

    private static string Excerpt(byte[] data, int at) => Encoding.Latin1.GetString(data, at, Math.Min(40, data.Length - at)).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Addresses with a domain, lower-cased. A domain-less address ("From: Moderator-Address") is sent as
    /// (NIL NIL "Moderator-Address" "") — host NIL would mean a group marker (RFC 9051 §7.5.2) — and MailKit drops
    /// such an address when it parses the ENVELOPE, so those are left out of the comparison.</summary>
    private static List<string> Addresses(InternetAddressList list) => list.Mailboxes.Where(m => m.Address.Contains('@', StringComparison.Ordinal) && !m.Address.EndsWith('@')).Select(m => m.Address.ToLowerInvariant()).ToList();

    private static void CompareTree(MimeEntity? entity, BodyPart? part, string path, List<string> problems)
    {
        var where = path.Length == 0 ? "(root)" : path;
        if (entity is null || part is null)
        {
            if (entity is not null || part is not null) problems.Add($"{where}: MimeKit {entity?.ContentType.MimeType ?? "none"}, server {part?.ContentType.MimeType ?? "none"}");
            return;
        }
        var mimeType = entity.ContentType.MimeType.ToLowerInvariant();
        var serverType = part.ContentType.MimeType.ToLowerInvariant();
        if (mimeType != serverType) problems.Add($"{where}: type {mimeType} expected, server says {serverType}");
        switch (entity)
        {
            case Multipart multipart when part is BodyPartMultipart serverMultipart:
                if (multipart.Count == 0)
                {
                    // RFC 9051 §9 body-type-mpart needs 1*body: an empty multipart is sent with one empty part.
                    if (serverMultipart.BodyParts.Count > 1) problems.Add($"{where}: empty multipart sent with {serverMultipart.BodyParts.Count} parts");
                    return;
                }
                if (multipart.Count != serverMultipart.BodyParts.Count)
                {
                    problems.Add($"{where}: {multipart.Count} parts expected, server says {serverMultipart.BodyParts.Count}");
                    return;
                }
                for (var i = 0; i < multipart.Count; i++)
                {
                    CompareTree(multipart[i], serverMultipart.BodyParts[i], path.Length == 0 ? $"{i + 1}" : $"{path}.{i + 1}", problems);
                }
                break;
            case Multipart:
                problems.Add($"{where}: multipart expected, server sent {part.GetType().Name}");
                break;
            case MessagePart messagePart when part is BodyPartMessage serverMessage:
                CompareTree(messagePart.Message?.Body, serverMessage.Body, path.Length == 0 ? "1" : path, problems);
                break;
            case TextPart text when part is BodyPartText serverText:
                var charset = text.ContentType.Charset;
                if (!string.Equals(charset ?? "us-ascii", serverText.ContentType.Charset ?? "us-ascii", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{where}: charset {charset ?? "(none)"} expected, server says {serverText.ContentType.Charset ?? "(none)"}");
                }
                break;
            case TextPart:
                problems.Add($"{where}: text part sent as {part.GetType().Name}");
                break;
        }
    }

    /// <summary>Checks each part's size against BODY[spec], with part specifiers computed by RFC 9051 §6.4.5
    /// (a non-multipart message's body is "1"; a message/rfc822 part's non-multipart body is "spec.1").</summary>
    private static async Task CompareSizesAsync(IMailFolder box, UniqueId uid, BodyPart? part, List<string> problems, string spec = "")
    {
        switch (part)
        {
            case BodyPartMultipart multipart:
                for (var i = 0; i < multipart.BodyParts.Count; i++)
                {
                    await CompareSizesAsync(box, uid, multipart.BodyParts[i], problems, spec.Length == 0 ? $"{i + 1}" : $"{spec}.{i + 1}");
                }
                break;
            case BodyPartBasic basic:
                var section = spec.Length == 0 ? "1" : spec;
                var data = await ReadAsync(box, uid, section);
                if ((uint)data.Length != basic.Octets) problems.Add($"BODY[{section}] ({basic.ContentType.MimeType}) is {data.Length} bytes, BODYSTRUCTURE says {basic.Octets}");
                // body-fld-lines (RFC 9051 §9): a last line without CRLF may or may not be counted.
                if (basic is BodyPartText text && text.Lines != CountLines(data) && text.Lines != CountLineFeeds(data))
                {
                    problems.Add($"BODY[{section}] ({basic.ContentType.MimeType}) has {CountLines(data)} lines, BODYSTRUCTURE says {text.Lines}");
                }
                if (basic is BodyPartMessage message)
                {
                    await CompareSizesAsync(box, uid, message.Body, problems, message.Body is BodyPartMultipart ? section : section + ".1");
                }
                break;
        }
    }

    private static uint CountLineFeeds(byte[] data)
    {
        uint lines = 0;
        foreach (var b in data) if (b == '\n') lines++;
        return lines;
    }

    private static uint CountLines(byte[] data)
    {
        uint lines = 0;
        foreach (var b in data) if (b == '\n') lines++;
        if (data.Length > 0 && data[^1] != '\n') lines++;
        return lines;
    }
}
