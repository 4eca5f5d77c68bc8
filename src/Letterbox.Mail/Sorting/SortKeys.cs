using System.Text;
using Letterbox.Mail.Messages;
using MimeKit;
using MimeKit.Utils;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// What SORT and THREAD compare about one stored message, computed once at delivery (from the cached ENVELOPE and
/// the References header) so no command reparses a message. Strings are <see cref="UnicodeCasemap"/> keys
/// (RFC 5256 §7), empty when the header is absent ("treated as the empty string", RFC 5256 §3).
/// </summary>
/// <param name="SentDate">Date header in seconds since the Unix epoch, UTC-normalised (RFC 5256 §2.2); null when the
/// header is missing or unparsable (the caller then uses INTERNALDATE).</param>
/// <param name="Subject">Base subject (RFC 5256 §2.1) as a collation key.</param>
/// <param name="IsReplyOrForward">Base subject extraction removed a <c>subj-refwd</c>, <c>(fwd)</c> or <c>[fwd: …]</c>.</param>
/// <param name="From">addr-mailbox of the first From address, as a collation key (SORT FROM).</param>
/// <param name="To">addr-mailbox of the first To address (SORT TO).</param>
/// <param name="Cc">addr-mailbox of the first Cc address (SORT CC).</param>
/// <param name="DisplayFrom">Display sort value of the first From address (RFC 5957 §3), as a collation key.</param>
/// <param name="DisplayTo">Display sort value of the first To address (RFC 5957 §3).</param>
/// <param name="MessageId">The normalised Message-ID (no angle brackets, quoting removed), or null when none is valid.</param>
/// <param name="References">The message's references for threading (RFC 5256 §3 REFERENCES): the valid ids of
/// References, else the first valid id of In-Reply-To; oldest first, normalised; empty when none.</param>
public sealed record SortKeys(
    long? SentDate,
    string Subject,
    bool IsReplyOrForward,
    string From,
    string To,
    string Cc,
    string DisplayFrom,
    string DisplayTo,
    string? MessageId,
    IReadOnlyList<string> References)
{
    /// <summary>The keys of a message with no usable header (e.g. one MimeKit could not parse).</summary>
    public static SortKeys Empty { get; } = new(null, string.Empty, false, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, null, []);

    /// <summary>
    /// Computes the keys from a message's ENVELOPE (as cached at delivery: header values unfolded, RFC 2047 words
    /// encoded) and its raw References header value (null when absent). Never throws for malformed values.
    /// </summary>
    public static SortKeys FromEnvelope(Envelope envelope, string? referencesHeader)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var sent = ParseSentDate(envelope.Date);
        var subject = BaseSubject.FromHeader(envelope.Subject, out var reply);
        var references = MessageIds.All(referencesHeader);
        if (references.Count == 0 && MessageIds.First(envelope.InReplyTo) is { } parent)
        {
            references.Add(parent);
        }
        return new SortKeys(
            sent,
            UnicodeCasemap.Key(subject),
            reply,
            UnicodeCasemap.Key(FirstMailbox(envelope.From)),
            UnicodeCasemap.Key(FirstMailbox(envelope.To)),
            UnicodeCasemap.Key(FirstMailbox(envelope.Cc)),
            UnicodeCasemap.Key(Display(envelope.From)),
            UnicodeCasemap.Key(Display(envelope.To)),
            MessageIds.First(envelope.MessageId),
            references);
    }

    /// <summary>The Date header as seconds since the Unix epoch in UTC (RFC 5256 §2.2), or null when it does not
    /// parse. An alphabetic zone is matched case-insensitively: RFC 5322 §4.3 obs-zone names ("CST" = -0600) are
    /// ABNF strings, which are case-insensitive (RFC 5234 §2.3), and MimeKit only knows them in upper case
    /// ("28 May 1996 12:24:23 cst", corpus netscape-1990s.mbox#22).</summary>
    public static long? ParseSentDate(string? date)
    {
        if (date is null)
        {
            return null;
        }
        var space = date.TrimEnd().LastIndexOf(' ');
        var zone = date.AsSpan(space + 1).TrimEnd();
        if (space > 0 && zone.Length > 0 && !zone.ContainsAnyExcept(Letters))
        {
            date = string.Concat(date.AsSpan(0, space + 1), zone.ToString().ToUpperInvariant());
        }
        return DateUtils.TryParse(date, out var parsed) ? parsed.ToUnixTimeSeconds() : null;
    }

    private static readonly System.Buffers.SearchValues<char> Letters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>addr-mailbox of the first address structure (for a group, its start marker holds the group name,
    /// RFC 9051 §7.5.2), or null.</summary>
    private static string? FirstMailbox(IReadOnlyList<EnvelopeAddress>? addresses) =>
        addresses is { Count: > 0 } ? addresses[0].Mailbox : null;

    /// <summary>RFC 5957 §3: the decoded display name if non-empty, else addr-mailbox@addr-host, else addr-mailbox,
    /// else empty. An empty host (a local address) counts as NIL.</summary>
    private static string Display(IReadOnlyList<EnvelopeAddress>? addresses)
    {
        if (addresses is not { Count: > 0 })
        {
            return string.Empty;
        }
        var first = addresses[0];
        if (!string.IsNullOrEmpty(first.Name))
        {
            var name = EncodedWords.Phrase(first.Name);
            if (name.Length > 0)
            {
                return name;
            }
        }
        if (!string.IsNullOrEmpty(first.Mailbox) && !string.IsNullOrEmpty(first.Host))
        {
            return first.Mailbox + "@" + first.Host;
        }
        return first.Mailbox ?? string.Empty;
    }
}
