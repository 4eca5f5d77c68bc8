using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Mime;

/// <summary>Writes the FETCH <c>BODY</c> and <c>BODYSTRUCTURE</c> structures from a cached <see cref="BodyPart"/>.</summary>
/// <remarks>
/// <para>RFC 9051 §7.5.2 (BODY, BODYSTRUCTURE) and §9 (<c>body</c>, <c>body-type-1part</c>, <c>body-type-basic</c>,
/// <c>body-type-msg</c>, <c>body-type-text</c>, <c>body-type-mpart</c>, <c>body-ext-1part</c>,
/// <c>body-ext-mpart</c>).</para>
/// <para>Media type and subtype are sent upper-cased (<c>"TEXT" "PLAIN"</c>), as in the RFC examples and
/// Cyrus; parameter names and values, disposition, encoding (already upper-cased by the analyzer) and all
/// other fields are sent as parsed.</para>
/// <para>A multipart with no children has no legal encoding (<c>1*body</c>); it is written with a single empty
/// <c>("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0)</c> child. A message/rfc822 part without a cached envelope or body
/// gets an all-NIL envelope and that same empty child as its body.</para>
/// </remarks>
public static class BodyStructureEncoder
{
    /// <summary>Writes the non-extensible <c>BODY</c> form of <paramref name="part"/> (no extension data).</summary>
    public static void WriteBody(ImapResponseWriter writer, BodyPart part) => WritePart(writer, part, extensible: false);

    /// <summary>
    /// Writes the <c>BODYSTRUCTURE</c> form of <paramref name="part"/>: as <see cref="WriteBody"/> plus
    /// <c>md5 dsp lang loc</c> for single parts and <c>params dsp lang loc</c> for multiparts, nested parts
    /// included.
    /// </summary>
    public static void WriteBodyStructure(ImapResponseWriter writer, BodyPart part) => WritePart(writer, part, extensible: true);

    private static void WritePart(ImapResponseWriter writer, BodyPart part, bool extensible)
    {
        if (part.IsMultipart)
        {
            WriteMultipart(writer, part, extensible);
        }
        else
        {
            WriteSinglePart(writer, part, extensible);
        }
    }

    private static void WriteMultipart(ImapResponseWriter writer, BodyPart part, bool extensible)
    {
        writer.WriteOpenParen();
        var children = part.Children;
        if (children.Count == 0)
        {
            WriteEmptyText(writer, extensible);
        }
        for (var i = 0; i < children.Count; i++)
        {
            WritePart(writer, children[i], extensible);
        }
        writer.WriteSpace();
        WriteUpper(writer, part.Subtype);
        if (extensible)
        {
            writer.WriteSpace();
            WriteParameters(writer, part.Parameters);
            writer.WriteSpace();
            WriteExtensionTail(writer, part);
        }
        writer.WriteCloseParen();
    }

    private static void WriteSinglePart(ImapResponseWriter writer, BodyPart part, bool extensible)
    {
        writer.WriteOpenParen();
        WriteUpper(writer, part.Type);
        writer.WriteSpace();
        WriteUpper(writer, part.Subtype);
        writer.WriteSpace();
        WriteParameters(writer, part.Parameters);
        writer.WriteSpace();
        writer.WriteNString(part.ContentId);
        writer.WriteSpace();
        writer.WriteNString(part.Description);
        writer.WriteSpace();
        writer.WriteString(part.Encoding);
        writer.WriteSpace();
        writer.WriteNumber(part.Size);

        if (IsMessage(part))
        {
            writer.WriteSpace();
            if (part.MessageEnvelope is { } envelope)
            {
                EnvelopeEncoder.Write(writer, envelope);
            }
            else
            {
                EnvelopeEncoder.WriteEmpty(writer);
            }
            writer.WriteSpace();
            if (part.MessageBody is { } body)
            {
                WritePart(writer, body, extensible);
            }
            else
            {
                WriteEmptyText(writer, extensible);
            }
            writer.WriteSpace();
            writer.WriteNumber(part.Lines);
        }
        else if (string.Equals(part.Type, "text", StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteSpace();
            writer.WriteNumber(part.Lines);
        }

        if (extensible)
        {
            writer.WriteSpace();
            writer.WriteNString(part.Md5);
            writer.WriteSpace();
            WriteExtensionTail(writer, part);
        }
        writer.WriteCloseParen();
    }

    /// <summary>True for the types §9 <c>media-message</c> covers: message/rfc822 and message/global.</summary>
    internal static bool IsMessage(BodyPart part) =>
        string.Equals(part.Type, "message", StringComparison.OrdinalIgnoreCase)
        && (string.Equals(part.Subtype, "rfc822", StringComparison.OrdinalIgnoreCase)
            || string.Equals(part.Subtype, "global", StringComparison.OrdinalIgnoreCase));

    // ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0 [NIL NIL NIL NIL]): an empty text/plain body.
    private static void WriteEmptyText(ImapResponseWriter writer, bool extensible)
    {
        writer.WriteRaw("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0"u8);
        if (extensible)
        {
            writer.WriteRaw(" NIL NIL NIL NIL"u8);
        }
        writer.WriteCloseParen();
    }

    // body-fld-dsp SP body-fld-lang SP body-fld-loc
    private static void WriteExtensionTail(ImapResponseWriter writer, BodyPart part)
    {
        if (part.Disposition is { } disposition)
        {
            writer.WriteOpenParen();
            writer.WriteString(disposition);
            writer.WriteSpace();
            WriteParameters(writer, part.DispositionParameters);
            writer.WriteCloseParen();
        }
        else
        {
            writer.WriteNil();
        }
        writer.WriteSpace();
        var language = part.Language;
        if (language is null || language.Count == 0)
        {
            writer.WriteNil();
        }
        else if (language.Count == 1)
        {
            writer.WriteString(language[0]);
        }
        else
        {
            writer.WriteOpenParen();
            for (var i = 0; i < language.Count; i++)
            {
                if (i > 0)
                {
                    writer.WriteSpace();
                }
                writer.WriteString(language[i]);
            }
            writer.WriteCloseParen();
        }
        writer.WriteSpace();
        writer.WriteNString(part.Location);
    }

    // body-fld-param: ("name" "value" ...) or NIL.
    private static void WriteParameters(ImapResponseWriter writer, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (parameters.Count == 0)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteOpenParen();
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteSpace();
            }
            writer.WriteString(parameters[i].Key);
            writer.WriteSpace();
            writer.WriteString(parameters[i].Value);
        }
        writer.WriteCloseParen();
    }

    // A quoted, ASCII-upper-cased string, written in place; falls back to WriteString for unusual input.
    private static void WriteUpper(ImapResponseWriter writer, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ' || c >= 0x7F || c == '"' || c == '\\')
            {
                writer.WriteString(value.ToUpperInvariant());
                return;
            }
        }
        var output = writer.Output;
        var span = output.GetSpan(value.Length + 2);
        span[0] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            span[i + 1] = c is >= 'a' and <= 'z' ? (byte)(c - 32) : (byte)c;
        }
        span[value.Length + 1] = (byte)'"';
        output.Advance(value.Length + 2);
    }
}
