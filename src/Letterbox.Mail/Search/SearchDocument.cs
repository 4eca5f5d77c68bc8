using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>One header field as the text search keys see it: its name and every string a HEADER/FROM/TO/… key
/// tests, all case-folded (<see cref="SearchDocument.Fold"/>).</summary>
/// <param name="Name">The folded field name ("FROM", "X-MAILER").</param>
/// <param name="Values">The RFC 2047-decoded (UTF-7 words too), unfolded value; for address fields also each
/// mailbox's display name, address, and "name &lt;address&gt;".</param>
public sealed record SearchField(string Name, IReadOnlyList<string> Values);

/// <summary>
/// The decoded text a message offers to the header, body and text keys of SEARCH (RFC 9051 §6.4.4), built once
/// from MimeKit's parse, in three kinds: <see cref="Fields"/>, the message's own header fields (RFC 2047 encoded
/// words decoded, UTF-7 ones included; address fields also as their mailboxes) for HEADER/FROM/…/TEXT;
/// <see cref="MimeHeaders"/>, the header fields of MIME parts and encapsulated messages, for TEXT only; and
/// <see cref="Bodies"/>, the text of text/* and terminal message/* parts, for BODY and TEXT (see BodyText). Every
/// string is stored case-folded.
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
    public SearchDocument(IReadOnlyList<SearchField> fields, IReadOnlyList<string> mimeHeaders, IReadOnlyList<string> bodies)
    {
        Fields = fields;
        MimeHeaders = mimeHeaders;
        Bodies = bodies;
    }

    /// <summary>The message's own header fields in message order (folded): what HEADER/FROM/TO/… search.</summary>
    public IReadOnlyList<SearchField> Fields { get; }

    /// <summary>"Field: value" (decoded, folded) for each header field of a MIME part inside the body and of an
    /// encapsulated message/rfc822 or message/global (its own and its parts'): TEXT searches them ("including MIME
    /// header fields"), BODY and HEADER do not (RFC 9051 §6.4.4).</summary>
    public IReadOnlyList<string> MimeHeaders { get; }

    /// <summary>Decoded texts BODY and TEXT search (folded): each text/* part, each text/rfc822-headers part's
    /// lines, each terminal message/* part other than message/rfc822 and message/global (message/delivery-status…).</summary>
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
            var values = new List<string>(1) { Fold(DecodedValue(header)) };
            if (AddressFields.Contains(header.Field)
                && InternetAddressList.TryParse(Messages.MessageAnalyzer.Options, Sorting.EncodedWords.Utf7AsUtf8Words(header.RawValue), out var list))
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
        var mimeHeaders = new List<string>();
        var bodies = new List<string>();
        BodyText.Collect(message.Body, mimeHeaders, bodies);
        FoldAll(mimeHeaders);
        FoldAll(bodies);
        return new SearchDocument(fields, mimeHeaders, bodies);
    }

    private static void FoldAll(List<string> texts)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            texts[i] = Fold(texts[i]);
        }
    }

    /// <summary>
    /// Every field of the message's header: MimeKit keeps the top-level Content-* fields (Content-Type,
    /// Content-Disposition…) on the body entity, not in <see cref="MimeMessage.Headers"/>, but they are header fields
    /// of the message (RFC 5322 §2.2, RFC 2045 §3), so HEADER and TEXT must find them (RFC 9051 §6.4.4); each
    /// once.
    /// </summary>
    internal static IEnumerable<Header> TopLevelHeaders(MimeMessage message)
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

    /// <summary>TEXT's header half: some field's name or value, or some MIME header text, contains
    /// <paramref name="foldedValue"/> (folded).</summary>
    public bool AnyHeaderContains(string foldedValue)
    {
        foreach (var field in Fields)
        {
            if (field.Name.Contains(foldedValue, StringComparison.Ordinal) || AnyContains(field.Values, foldedValue)) return true;
        }
        return AnyContains(MimeHeaders, foldedValue);
    }

    /// <summary>BODY: some body text contains <paramref name="foldedValue"/> (folded); an empty value always
    /// matches. MIME header texts are not searched (RFC 9051 §6.4.4: BODY "doesn't match any header fields").</summary>
    public bool BodyContains(string foldedValue) => foldedValue.Length == 0 || AnyContains(Bodies, foldedValue);

    /// <summary>TEXT: the header (fields and MIME header texts) or the body contains <paramref name="foldedValue"/>
    /// (folded); an empty value always matches.</summary>
    public bool TextContains(string foldedValue) => AnyHeaderContains(foldedValue) || BodyContains(foldedValue);

    private static bool AnyContains(IReadOnlyList<string> texts, string foldedValue)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i].Contains(foldedValue, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The header's unfolded value with its encoded words decoded as MimeKit does, and UTF-7 encoded words
    /// (<c>=?utf-7?Q?Fr+APY-sche?=</c>, Outlook 2000), which MimeKit cannot decode, too (RFC 9051 §6.4.4: header
    /// strings are decoded before comparing); empty when MimeKit cannot decode the value.</summary>
    internal static string DecodedValue(Header header)
    {
        var raw = header.RawValue;
        var rewritten = Sorting.EncodedWords.Utf7AsUtf8Words(raw);
        if (!ReferenceEquals(rewritten, raw))
        {
            try
            {
                // A copy: the parse may be shared (the store analyzes the same MimeMessage).
                var copy = header.Clone();
                copy.SetRawValue(rewritten);
                return copy.Value ?? string.Empty;
            }
            catch (ArgumentException)
            {
                // Fall through to MimeKit's own decoding.
            }
        }
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
