using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>One header field as the text search keys see it: its name and every string a HEADER/FROM/TO/… key
/// tests, all case-folded (<see cref="SearchDocument.Fold"/>).</summary>
/// <param name="Name">The folded field name ("FROM", "X-MAILER").</param>
/// <param name="Values">The RFC 2047-decoded, unfolded value; for address fields also each mailbox's display name,
/// address, and "name &lt;address&gt;".</param>
public sealed record SearchField(string Name, IReadOnlyList<string> Values);

/// <summary>
/// The decoded text a message offers to the header, body and text keys of SEARCH (RFC 9051 §6.4.4), built once
/// from MimeKit's parse: every header field (RFC 2047 encoded words decoded, address fields also as their
/// mailboxes) and the text of every text/* part (transfer encoding undone, charset converted to UTF-16; HTML as
/// it is), plus header and text of message/rfc822 parts. Every string is stored case-folded.
/// </summary>
/// <remarks>
/// <para><b>Case-insensitive</b> (RFC 9051 §6.4.4 leaves it to the server): both sides are mapped with
/// <see cref="Fold"/> — the invariant culture's simple (one-to-one) Unicode upper-case mapping, so "é" matches
/// "É", "ß" only "ß" (no one-to-many mappings), and accents or compatibility forms are not removed (Dovecot's
/// i;unicode-casemap also strips diacritics: "e" finds "é" there, not here). Then a plain ordinal substring test.
/// The reference evaluator and the store's index both match through this type, so they cannot disagree.</para>
/// </remarks>
public sealed class SearchDocument
{
    private static readonly HashSet<string> AddressFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Sender", "Reply-To", "Resent-From", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Sender",
    };

    /// <summary>Creates a document from already folded parts (a store rebuilding it from its index).</summary>
    public SearchDocument(IReadOnlyList<SearchField> fields, IReadOnlyList<string> bodies)
    {
        Fields = fields;
        Bodies = bodies;
    }

    /// <summary>Header fields in message order (folded).</summary>
    public IReadOnlyList<SearchField> Fields { get; }

    /// <summary>Decoded texts BODY searches (folded): each text/* part, and "Field: value" for each header field of
    /// an encapsulated message/rfc822.</summary>
    public IReadOnlyList<string> Bodies { get; }

    /// <summary>The case mapping of every search comparison: invariant simple upper-case mapping, length-preserving
    /// (see the class remarks).</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToUpperInvariant();
    }

    /// <summary>Builds the document of a parsed message.</summary>
    public static SearchDocument FromMessage(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var fields = new List<SearchField>(message.Headers.Count);
        foreach (var header in TopLevelHeaders(message))
        {
            var values = new List<string>(1) { Fold(SafeValue(header)) };
            if (AddressFields.Contains(header.Field)
                && InternetAddressList.TryParse(Messages.MessageAnalyzer.Options, header.RawValue, out var list))
            {
                foreach (var mailbox in list.Mailboxes)
                {
                    if (mailbox.Name is not null) values.Add(Fold(mailbox.Name));
                    if (mailbox.Address is not null) values.Add(Fold(mailbox.Address));
                    values.Add(Fold($"{mailbox.Name} <{mailbox.Address}>"));
                }
            }
            fields.Add(new SearchField(Fold(header.Field), values));
        }
        var bodies = BodyText.Collect(message.Body);
        for (var i = 0; i < bodies.Count; i++)
        {
            bodies[i] = Fold(bodies[i]);
        }
        return new SearchDocument(fields, bodies);
    }

    /// <summary>
    /// Every field of the message's header: MimeKit keeps the top-level Content-* fields (Content-Type,
    /// Content-Disposition…) on the body entity, not in <see cref="MimeMessage.Headers"/>, but they are header fields
    /// of the message (RFC 5322 §2.2, RFC 2045 §3), so HEADER and TEXT must find them (RFC 9051 §6.4.4); each
    /// once.
    /// </summary>
    private static IEnumerable<Header> TopLevelHeaders(MimeMessage message)
    {
        foreach (var header in message.Headers)
        {
            yield return header;
        }
        if (message.Body is not { } body)
        {
            yield break;
        }
        foreach (var header in body.Headers)
        {
            var duplicate = false;
            foreach (var own in message.Headers)
            {
                if (own.Id == header.Id && string.Equals(own.Field, header.Field, StringComparison.OrdinalIgnoreCase)
                    && own.RawValue.AsSpan().SequenceEqual(header.RawValue))
                {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate)
            {
                yield return header;
            }
        }
    }

    /// <summary>HEADER/FROM/TO/CC/BCC/SUBJECT: some field named <paramref name="foldedField"/> has a value containing
    /// <paramref name="foldedValue"/>; an empty value matches when the field exists. Both arguments folded.</summary>
    public bool HeaderContains(string foldedField, string foldedValue)
    {
        foreach (var field in Fields)
        {
            if (!string.Equals(field.Name, foldedField, StringComparison.Ordinal)) continue;
            if (foldedValue.Length == 0 || AnyContains(field.Values, foldedValue)) return true;
        }
        return false;
    }

    /// <summary>TEXT's header half: some field's name or value contains <paramref name="foldedValue"/> (folded).</summary>
    public bool AnyHeaderContains(string foldedValue)
    {
        foreach (var field in Fields)
        {
            if (field.Name.Contains(foldedValue, StringComparison.Ordinal) || AnyContains(field.Values, foldedValue)) return true;
        }
        return false;
    }

    /// <summary>BODY: some decoded text contains <paramref name="foldedValue"/> (folded); an empty value always matches.</summary>
    public bool BodyContains(string foldedValue) => foldedValue.Length == 0 || AnyContains(Bodies, foldedValue);

    private static bool AnyContains(IReadOnlyList<string> texts, string foldedValue)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i].Contains(foldedValue, StringComparison.Ordinal)) return true;
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
}
