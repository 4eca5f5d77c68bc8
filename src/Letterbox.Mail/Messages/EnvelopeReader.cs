using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Letterbox.Mail.Messages;

/// <summary>
/// Builds the IMAP ENVELOPE (RFC 9051 §7.5.2) of a message from its header: string fields are the raw header
/// values, unfolded, with RFC 2047 encoded words left encoded; address fields are parsed into
/// (name, route, mailbox, host) with group syntax.
/// </summary>
internal static class EnvelopeReader
{
    private static readonly ParserOptions AddressOptions = CreateAddressOptions();

    /// <summary>Reads the envelope of <paramref name="message"/>. Never throws for malformed values.</summary>
    public static Envelope Read(MimeMessage message)
    {
        var headers = message.Headers;
        var from = Addresses(headers, HeaderId.From, message.From);
        var sender = Addresses(headers, HeaderId.Sender, message.Sender is null ? null : new InternetAddressList([message.Sender]));
        var replyTo = Addresses(headers, HeaderId.ReplyTo, message.ReplyTo);

        // RFC 9051 §7.5.2: an absent or empty Sender/Reply-To takes the value of From.
        if (sender is null || sender.Count == 0) sender = from;
        if (replyTo is null || replyTo.Count == 0) replyTo = from;

        return new Envelope(
            RawValue(headers, HeaderId.Date),
            TextValue(headers, HeaderId.Subject),
            from,
            sender,
            replyTo,
            Addresses(headers, HeaderId.To, message.To),
            Addresses(headers, HeaderId.Cc, message.Cc),
            Addresses(headers, HeaderId.Bcc, message.Bcc),
            RawValue(headers, HeaderId.InReplyTo),
            RawValue(headers, HeaderId.MessageId));
    }

    /// <summary>The first field with this id as written (unfolded, leading/trailing white space removed), or null.</summary>
    public static string? RawValue(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        return index < 0 ? null : Unfold(headers[index].RawValue);
    }

    /// <summary>
    /// The first unstructured text field with this id (Subject) as an ASCII-safe value: as written when it is plain
    /// ASCII; otherwise (raw 8-bit bytes, e.g. Latin-1 inside an encoded word, or RFC 6532 UTF-8) decoded by MimeKit
    /// and re-encoded as UTF-8 RFC 2047 encoded words, so every client decodes the same text MimeKit reads.
    /// Null when absent.
    /// </summary>
    public static string? TextValue(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        if (index < 0) return null;
        var raw = headers[index].RawValue;
        if (Array.IndexOf(raw, (byte)0) < 0 && !HasEightBit(raw)) return Unfold(raw);
        var decoded = Rfc2047.DecodeText(ParserOptions.Default, raw);
        decoded = decoded.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\0", string.Empty, StringComparison.Ordinal).Trim(' ', '\t');
        return Encoding.ASCII.GetString(Rfc2047.EncodeText(Encoding.UTF8, decoded));
    }

    private static bool HasEightBit(byte[] raw)
    {
        foreach (var b in raw)
        {
            if (b >= 0x80) return true;
        }
        return false;
    }

    /// <summary>Decodes raw header bytes (UTF-8 when valid, else Latin-1), removes CR/LF of folding and trims.</summary>
    public static string Unfold(byte[] raw)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(raw);
        }
        if (text.Contains('\r') || text.Contains('\n'))
        {
            text = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        }
        return text.Trim(' ', '\t');
    }

    /// <summary>Parses the first field with this id; when strict parsing fails, falls back to the looser
    /// options and then to what MimeKit's lenient message parse salvaged (<paramref name="salvaged"/>).</summary>
    private static List<EnvelopeAddress>? Addresses(HeaderList headers, HeaderId id, InternetAddressList? salvaged)
    {
        var index = headers.IndexOf(id);
        if (index < 0) return null;
        // MimeKit does not decode UTF-7 encoded words (Outlook 2000 wrote them: corpus eml/legacy/005.eml);
        // they are handed to it as the same text in UTF-8 words (RFC 2047 allows any charset, RFC 2152 is UTF-7).
        var raw = Sorting.EncodedWords.Utf7AsUtf8Words(headers[index].RawValue);
        if (!InternetAddressList.TryParse(ParserOptions.Default, raw, out var list) && !InternetAddressList.TryParse(AddressOptions, raw, out list))
        {
            if (salvaged is null) return null;
            list = salvaged;
        }
        var result = new List<EnvelopeAddress>(list.Count);
        Append(result, list, 0);
        return result.Count == 0 ? null : result;
    }

    private static void Append(List<EnvelopeAddress> result, InternetAddressList list, int depth)
    {
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(Convert(mailbox));
                    break;
                case GroupAddress group:
                    result.Add(new EnvelopeAddress(null, null, Phrase(group.Name) ?? string.Empty, null));
                    if (depth < 8) Append(result, group.Members, depth + 1); // groups do not nest in RFC 5322; be lenient
                    result.Add(new EnvelopeAddress(null, null, null, null));
                    break;
            }
        }
    }

    private static EnvelopeAddress Convert(MailboxAddress mailbox)
    {
        string? route = mailbox.Route.Count == 0 ? null : "@" + string.Join(",@", mailbox.Route);
        var local = mailbox.LocalPart ?? string.Empty;
        // A non-group address must have a non-NIL host (RFC 9051 §7.5.2): a missing domain becomes "".
        var host = mailbox.Domain ?? string.Empty;
        return new EnvelopeAddress(Phrase(mailbox.Name), route, local, host);
    }

    /// <summary>MimeKit decodes display names; non-ASCII ones are re-encoded as RFC 2047 words so the envelope stays ASCII-safe.</summary>
    private static string? Phrase(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        foreach (var c in name)
        {
            if (c > 0x7E || (c < 0x20 && c != '\t'))
            {
                return Encoding.ASCII.GetString(Rfc2047.EncodePhrase(Encoding.UTF8, name));
            }
        }
        return name;
    }

    private static ParserOptions CreateAddressOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Looser;
        options.AllowAddressesWithoutDomain = true;
        options.AllowUnquotedCommasInAddresses = true;
        return options;
    }
}
