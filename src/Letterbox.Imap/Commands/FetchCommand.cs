using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Commands;

/// <summary>The kind of one FETCH data item (RFC 9051 §6.4.5).</summary>
public enum FetchItemKind
{
    /// <summary>UID.</summary>
    Uid,
    /// <summary>FLAGS.</summary>
    Flags,
    /// <summary>INTERNALDATE.</summary>
    InternalDate,
    /// <summary>RFC822.SIZE.</summary>
    Rfc822Size,
    /// <summary>ENVELOPE.</summary>
    Envelope,
    /// <summary>BODY (non-extensible BODYSTRUCTURE).</summary>
    Body,
    /// <summary>BODYSTRUCTURE.</summary>
    BodyStructure,
    /// <summary>BODY[section]&lt;partial&gt; or BODY.PEEK[...] (see <see cref="FetchItem.Section"/>).</summary>
    BodySection,
    /// <summary>RFC822 (= BODY[], sets \Seen).</summary>
    Rfc822,
    /// <summary>RFC822.HEADER (= BODY.PEEK[HEADER]).</summary>
    Rfc822Header,
    /// <summary>RFC822.TEXT (= BODY[TEXT], sets \Seen).</summary>
    Rfc822Text,
    /// <summary>MODSEQ (RFC 7162).</summary>
    ModSeq,
}

/// <summary>The text part of a section specifier (RFC 9051 §6.4.5 <c>section-msgtext</c> / <c>section-text</c>).</summary>
public enum SectionText
{
    /// <summary>No text specifier: the whole part (or whole message for <c>BODY[]</c>).</summary>
    None,
    /// <summary>HEADER.</summary>
    Header,
    /// <summary>HEADER.FIELDS (list).</summary>
    HeaderFields,
    /// <summary>HEADER.FIELDS.NOT (list).</summary>
    HeaderFieldsNot,
    /// <summary>TEXT.</summary>
    Text,
    /// <summary>MIME (only after a part number).</summary>
    Mime,
}

/// <summary>A section specifier: part path (empty = top level), text specifier, header field names.</summary>
/// <param name="Part">Part numbers, e.g. [1, 2] for <c>1.2</c>; empty for the top level.</param>
/// <param name="Text">The text specifier.</param>
/// <param name="Fields">Header field names for HEADER.FIELDS(.NOT), as the client wrote them; empty otherwise.</param>
public sealed record Section(IReadOnlyList<int> Part, SectionText Text, IReadOnlyList<string> Fields);

/// <summary>
/// One FETCH data item. For <see cref="FetchItemKind.BodySection"/>: <see cref="Section"/>, <see cref="Peek"/> and
/// the optional partial range (<see cref="PartialOffset"/>, <see cref="PartialLength"/>, RFC 9051 §6.4.5 &lt;o.l&gt;).
/// <see cref="Label"/> is the item name to write in the response, exactly as RFC 9051 §7.5.2 requires
/// (e.g. <c>BODY[HEADER.FIELDS (FROM SUBJECT)]</c>, <c>BODY[1]&lt;0&gt;</c>; PEEK dropped; partial shows only origin).
/// </summary>
public sealed record FetchItem(
    FetchItemKind Kind,
    string Label,
    Section? Section = null,
    bool Peek = false,
    long? PartialOffset = null,
    long? PartialLength = null);

/// <summary>
/// <c>[UID] FETCH set (items) [(CHANGEDSINCE n [VANISHED])]</c> (RFC 9051 §6.4.5, RFC 7162). Macros ALL, FAST and
/// FULL are expanded by the parser. For UID FETCH the parser does not add UID; the handler always includes it.
/// </summary>
public sealed record FetchCommand(
    SequenceSet Set,
    bool Uid,
    IReadOnlyList<FetchItem> Items,
    ulong? ChangedSince = null,
    bool Vanished = false) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "FETCH";
}
