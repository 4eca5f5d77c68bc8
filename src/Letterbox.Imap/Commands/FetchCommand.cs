using Letterbox.Imap.Parsing;
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
/// <c>[UID] FETCH set (items) [(CHANGEDSINCE n [VANISHED] [PARTIAL range])]</c> (RFC 9051 §6.4.5, RFC 7162, RFC 9394
/// §3.3). Macros ALL, FAST and FULL are expanded by the parser. For UID FETCH the parser does not add UID; the handler
/// always includes it. <see cref="Partial"/> (UID FETCH only) limits the answer to that range of the set's messages.
/// </summary>
public sealed record FetchCommand(
    SequenceSet Set,
    bool Uid,
    IReadOnlyList<FetchItem> Items,
    ulong? ChangedSince = null,
    bool Vanished = false,
    PartialRange? Partial = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "FETCH";

    /// <summary>
    /// <c>SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
    /// [SP "(" fetch-modifier *(SP fetch-modifier) ")"]</c> (RFC 9051 §9, RFC 7162 §3.1.4 CHANGEDSINCE, RFC 7162 §3.2.6
    /// VANISHED, RFC 9394 §4 <c>modifier-partial</c>, only with UID FETCH and at most once).
    /// </summary>
    internal static FetchCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("a sequence set");
        var set = p.SequenceSet();
        p.Sp("fetch items");
        var items = new List<FetchItem>();
        if (p.TryConsume((byte)'('))
        {
            while (true)
            {
                items.Add(FetchAtt(ref p));
                if (p.TryConsume((byte)')'))
                {
                    break;
                }
                p.Sp("a fetch item or ')'");
            }
        }
        else if (p.TryKeyword("ALL"u8))
        {
            AddMacro(items, envelope: true, body: false);
        }
        else if (p.TryKeyword("FAST"u8))
        {
            AddMacro(items, envelope: false, body: false);
        }
        else if (p.TryKeyword("FULL"u8))
        {
            AddMacro(items, envelope: true, body: true);
        }
        else
        {
            items.Add(FetchAtt(ref p));
        }
        ulong? changedSince = null;
        var vanished = false;
        PartialRange? partial = null;
        if (p.TrySp())
        {
            p.Expect((byte)'(', "'(' starting the fetch modifiers");
            while (true)
            {
                if (p.TryKeyword("CHANGEDSINCE"u8))
                {
                    p.Sp("a mod-sequence");
                    changedSince = p.Number64("CHANGEDSINCE mod-sequence");
                }
                else if (p.TryKeyword("VANISHED"u8))
                {
                    vanished = true;
                }
                else if (p.TryKeyword("PARTIAL"u8))
                {
                    if (!uid || partial is not null)
                    {
                        throw ImapParser.Bad("PARTIAL is a UID FETCH modifier and may be given once (RFC 9394 §3.3)");
                    }
                    p.Sp("a PARTIAL range");
                    partial = PartialRange.Parse(ref p);
                }
                else
                {
                    throw ImapParser.Bad("Unknown fetch modifier: expected CHANGEDSINCE, VANISHED or PARTIAL");
                }
                if (p.TryConsume((byte)')'))
                {
                    break;
                }
                p.Sp("a fetch modifier or ')'");
            }
            if (vanished && (!uid || changedSince is null))
            {
                throw ImapParser.Bad("VANISHED requires UID FETCH with CHANGEDSINCE (RFC 7162 §3.2.6)");
            }
        }
        return new FetchCommand(set, uid, items, changedSince, vanished, partial);
    }

    private static void AddMacro(List<FetchItem> items, bool envelope, bool body)
    {
        items.Add(new FetchItem(FetchItemKind.Flags, "FLAGS"));
        items.Add(new FetchItem(FetchItemKind.InternalDate, "INTERNALDATE"));
        items.Add(new FetchItem(FetchItemKind.Rfc822Size, "RFC822.SIZE"));
        if (envelope)
        {
            items.Add(new FetchItem(FetchItemKind.Envelope, "ENVELOPE"));
        }
        if (body)
        {
            items.Add(new FetchItem(FetchItemKind.Body, "BODY"));
        }
    }

    /// <summary>Letters, digits, <c>.</c> and <c>-</c>: the name part of a fetch-att or section-text.</summary>
    private static string AttName(ref ImapParser p, string what)
    {
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            var c = p.Peek();
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
            {
                p.TryConsume((byte)c);
                sb.Append(char.ToUpperInvariant((char)c));
            }
            else
            {
                break;
            }
        }
        if (sb.Length == 0)
        {
            throw ImapParser.Bad(p.AtEnd ? $"Missing {what}" : $"Expected {what}");
        }
        return sb.ToString();
    }

    /// <summary><c>fetch-att</c> (RFC 9051 §9, RFC 7162 MODSEQ).</summary>
    internal static FetchItem FetchAtt(ref ImapParser p)
    {
        var name = AttName(ref p, "a fetch item");
        switch (name)
        {
            case "UID": return new FetchItem(FetchItemKind.Uid, name);
            case "FLAGS": return new FetchItem(FetchItemKind.Flags, name);
            case "INTERNALDATE": return new FetchItem(FetchItemKind.InternalDate, name);
            case "RFC822.SIZE": return new FetchItem(FetchItemKind.Rfc822Size, name);
            case "ENVELOPE": return new FetchItem(FetchItemKind.Envelope, name);
            case "BODYSTRUCTURE": return new FetchItem(FetchItemKind.BodyStructure, name);
            case "MODSEQ": return new FetchItem(FetchItemKind.ModSeq, name);
            case "RFC822": return new FetchItem(FetchItemKind.Rfc822, name);
            case "RFC822.HEADER": return new FetchItem(FetchItemKind.Rfc822Header, name);
            case "RFC822.TEXT": return new FetchItem(FetchItemKind.Rfc822Text, name);
            case "BODY":
                if (p.Peek() != '[')
                {
                    return new FetchItem(FetchItemKind.Body, name);
                }
                return BodySection(ref p, peek: false);
            case "BODY.PEEK":
                if (p.Peek() != '[')
                {
                    throw ImapParser.Bad("Expected '[' after BODY.PEEK");
                }
                return BodySection(ref p, peek: true);
            case "BINARY":
            case "BINARY.PEEK":
            case "BINARY.SIZE":
                // RFC 3516 BINARY is not advertised yet: the FETCH writer has no decoder for it.
                throw ImapParser.Bad($"{name} is not supported");
            case "ALL":
            case "FAST":
            case "FULL":
                throw ImapParser.Bad($"{name} is a macro and cannot appear inside a fetch item list");
            default:
                throw ImapParser.Bad($"Unknown fetch item {name}");
        }
    }

    /// <summary><c>section [partial]</c> after BODY or BODY.PEEK; builds the response label.</summary>
    private static FetchItem BodySection(ref ImapParser p, bool peek)
    {
        p.Expect((byte)'[', "'['");
        var part = new List<int>();
        var text = SectionText.None;
        var fields = new List<string>();
        var label = new System.Text.StringBuilder("BODY[");
        if (!p.TryConsume((byte)']'))
        {
            var c = p.Peek();
            while (c >= '0' && c <= '9')
            {
                var n = p.Digits("section part number");
                if (n == 0 || n > int.MaxValue)
                {
                    throw ImapParser.Bad("Invalid section part number");
                }
                if (part.Count > 0)
                {
                    label.Append('.');
                }
                part.Add((int)n);
                label.Append(n);
                c = -1;
                if (p.TryConsume((byte)'.'))
                {
                    c = p.Peek();
                    if (c < '0' || c > '9')
                    {
                        label.Append('.');
                        text = SectionTextSpec(ref p, allowMime: true, fields, label);
                    }
                }
            }
            if (part.Count == 0)
            {
                text = SectionTextSpec(ref p, allowMime: false, fields, label);
            }
            p.Expect((byte)']', "']' closing the section");
        }
        label.Append(']');
        long? offset = null;
        long? length = null;
        if (p.TryConsume((byte)'<'))
        {
            offset = (long)p.Digits("partial offset");
            p.Expect((byte)'.', "'.' in the partial range <offset.length>");
            length = (long)p.Digits("partial length");
            if (length == 0)
            {
                throw ImapParser.Bad("Partial length must be at least 1");
            }
            p.Expect((byte)'>', "'>' closing the partial range");
            label.Append('<').Append(offset.Value).Append('>');
        }
        var section = new Section(part, text, fields);
        return new FetchItem(FetchItemKind.BodySection, label.ToString(), section, peek, offset, length);
    }

    private static SectionText SectionTextSpec(ref ImapParser p, bool allowMime, List<string> fields, System.Text.StringBuilder label)
    {
        var name = AttName(ref p, "HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME");
        label.Append(name);
        switch (name)
        {
            case "HEADER": return SectionText.Header;
            case "TEXT": return SectionText.Text;
            case "MIME" when allowMime: return SectionText.Mime;
            case "HEADER.FIELDS":
            case "HEADER.FIELDS.NOT":
                p.Sp("'(' starting the header field names");
                p.Expect((byte)'(', "'(' starting the header field names");
                label.Append(" (");
                while (true)
                {
                    var field = p.AString("header field name");
                    if (fields.Count > 0)
                    {
                        label.Append(' ');
                    }
                    fields.Add(field);
                    label.Append(field.ToUpperInvariant());
                    if (p.TryConsume((byte)')'))
                    {
                        break;
                    }
                    p.Sp("a header field name or ')'");
                }
                label.Append(')');
                return name == "HEADER.FIELDS" ? SectionText.HeaderFields : SectionText.HeaderFieldsNot;
            default:
                throw ImapParser.Bad($"Invalid section text {name}");
        }
    }
}
