namespace Letterbox.Mail.Messages;

/// <summary>
/// One address of an envelope list, as RFC 9051 §7.5.2 ENVELOPE carries it: display name, source route,
/// mailbox (local part) and host. A group start is (null, null, groupName, null); a group end is all null.
/// </summary>
public sealed record EnvelopeAddress(string? Name, string? Route, string? Mailbox, string? Host);

/// <summary>
/// The parsed envelope of a message, computed once at delivery. String fields hold the header values as they
/// appear in the message (unfolded, encoded words left encoded), as the IMAP ENVELOPE requires; null = NIL.
/// </summary>
/// <remarks>RFC 9051 §7.5.2 (FETCH ENVELOPE).</remarks>
public sealed record Envelope(
    string? Date,
    string? Subject,
    IReadOnlyList<EnvelopeAddress>? From,
    IReadOnlyList<EnvelopeAddress>? Sender,
    IReadOnlyList<EnvelopeAddress>? ReplyTo,
    IReadOnlyList<EnvelopeAddress>? To,
    IReadOnlyList<EnvelopeAddress>? Cc,
    IReadOnlyList<EnvelopeAddress>? Bcc,
    string? InReplyTo,
    string? MessageId);

/// <summary>
/// One MIME part of a stored message with everything BODY, BODYSTRUCTURE and BODY[section] need, computed
/// once at delivery so FETCH never reparses. Offsets are byte offsets into the stored message (CRLF line ends).
/// </summary>
/// <remarks>RFC 9051 §7.5.2 (BODYSTRUCTURE) and §6.4.5 (section specification).</remarks>
public sealed class BodyPart
{
    /// <summary>Media type, lower-case as parsed (e.g. "text"); "text" when the part has no Content-Type.</summary>
    public required string Type { get; init; }

    /// <summary>Media subtype (e.g. "plain"); "plain" by default.</summary>
    public required string Subtype { get; init; }

    /// <summary>Content-Type parameters in header order (name, value), values decoded per RFC 2231.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Content-ID, or null.</summary>
    public string? ContentId { get; init; }

    /// <summary>Content-Description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>Content-Transfer-Encoding as written, upper-cased; "7BIT" when absent.</summary>
    public string Encoding { get; init; } = "7BIT";

    /// <summary>Content-MD5, or null.</summary>
    public string? Md5 { get; init; }

    /// <summary>Content-Disposition value (e.g. "attachment"), or null.</summary>
    public string? Disposition { get; init; }

    /// <summary>Content-Disposition parameters in header order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DispositionParameters { get; init; } = [];

    /// <summary>Content-Language tags, or null.</summary>
    public IReadOnlyList<string>? Language { get; init; }

    /// <summary>Content-Location, or null.</summary>
    public string? Location { get; init; }

    /// <summary>Byte offset where this part's header starts (for the top level: 0).</summary>
    public long HeaderOffset { get; init; }

    /// <summary>Byte offset where this part's body starts (just after the blank line ending the header).</summary>
    public long BodyOffset { get; init; }

    /// <summary>Byte offset just past this part's body (exclusive).</summary>
    public long EndOffset { get; init; }

    /// <summary>Body size in octets (<see cref="EndOffset"/> - <see cref="BodyOffset"/>).</summary>
    public long Size => EndOffset - BodyOffset;

    /// <summary>Body size in lines, for text/* and message/rfc822 parts.</summary>
    public long Lines { get; init; }

    /// <summary>Child parts of a multipart, in order; empty otherwise.</summary>
    public IReadOnlyList<BodyPart> Children { get; init; } = [];

    /// <summary>For message/rfc822 (and message/global): the encapsulated message's envelope.</summary>
    public Envelope? MessageEnvelope { get; init; }

    /// <summary>For message/rfc822: the encapsulated message's top-level body part.</summary>
    public BodyPart? MessageBody { get; init; }

    /// <summary>True for multipart/*.</summary>
    public bool IsMultipart => Children.Count > 0 || string.Equals(Type, "multipart", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// What FETCH, SEARCH and SORT need of a message, computed once at delivery by the message analyzer.
/// </summary>
public sealed class MessageStructure
{
    /// <summary>The top-level envelope.</summary>
    public required Envelope Envelope { get; init; }

    /// <summary>The top-level body part (whole message: HeaderOffset 0, EndOffset = size).</summary>
    public required BodyPart Body { get; init; }
}
