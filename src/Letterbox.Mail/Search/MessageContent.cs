using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>
/// A message parsed once for one evaluation: its header fields with RFC 2047-decoded values, and the decoded text
/// of its text/* parts (transfer encoding undone, charset converted), computed on first use.
/// </summary>
internal sealed class MessageContent
{
    private static readonly HashSet<string> AddressFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Sender", "Reply-To", "Resent-From", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Sender",
    };

    private readonly MimeMessage? _message;
    private List<string>? _bodyTexts;

    private MessageContent(MimeMessage? message) => _message = message;

    /// <summary>Opens and parses the candidate's bytes. A message MimeKit cannot parse has no header and no body text.</summary>
    public static async ValueTask<MessageContent> LoadAsync(ISearchCandidate candidate, CancellationToken cancellationToken)
    {
        var stream = await candidate.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var parser = new MimeParser(Messages.MessageAnalyzer.Options, stream, MimeFormat.Default, persistent: false);
                var message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
                return new MessageContent(message);
            }
            catch (FormatException)
            {
                return new MessageContent(null);
            }
        }
    }

    /// <summary>HEADER/FROM/TO/CC/BCC/SUBJECT: any field named <paramref name="field"/> whose decoded value contains
    /// <paramref name="value"/>; an empty value matches when the field exists.</summary>
    public bool HeaderContains(string field, string value)
    {
        if (_message is null) return false;
        foreach (var header in _message.Headers)
        {
            if (!string.Equals(header.Field, field, StringComparison.OrdinalIgnoreCase)) continue;
            if (value.Length == 0 || HeaderValueContains(header, value)) return true;
        }
        return false;
    }

    /// <summary>TEXT's header half: any field's name or decoded value contains <paramref name="value"/>.</summary>
    public bool AnyHeaderContains(string value)
    {
        if (_message is null) return false;
        foreach (var header in _message.Headers)
        {
            if (Contains(header.Field, value) || HeaderValueContains(header, value)) return true;
        }
        return false;
    }

    /// <summary>BODY: the decoded text of any text/* part (also inside message/rfc822 parts, with their header).</summary>
    public bool BodyContains(string value)
    {
        if (_message is null) return false;
        if (value.Length == 0) return true;
        _bodyTexts ??= BodyText.Collect(_message.Body);
        foreach (var text in _bodyTexts)
        {
            if (Contains(text, value)) return true;
        }
        return false;
    }

    private static bool HeaderValueContains(Header header, string value)
    {
        if (Contains(SafeValue(header), value)) return true;
        if (!AddressFields.Contains(header.Field)) return false;
        if (!InternetAddressList.TryParse(Messages.MessageAnalyzer.Options, header.RawValue, out var list)) return false;
        foreach (var mailbox in list.Mailboxes)
        {
            if (Contains(mailbox.Name, value) || Contains(mailbox.Address, value)) return true;
            if (Contains($"{mailbox.Name} <{mailbox.Address}>", value)) return true;
        }
        return false;
    }

    private static string SafeValue(Header header)
    {
        try
        {
            return header.Value ?? string.Empty;
        }
        catch (ArgumentException)
        {
            return string.Empty;
        }
    }

    /// <summary>Unicode case-insensitive substring (ordinal, invariant upper-case mapping; covers i;ascii-casemap).</summary>
    internal static bool Contains(string? text, string value)
        => text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
