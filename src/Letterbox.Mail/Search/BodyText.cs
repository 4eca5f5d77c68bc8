using System.Text;
using Letterbox.Mail.Sorting;
using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>
/// Collects what a message's body offers to BODY and TEXT (RFC 9051 §6.4.4), in two kinds:
/// <list type="bullet">
/// <item><b>MIME header texts</b> ("Field: value"): the header fields of every MIME part inside the body
/// ("Content-Disposition: attachment; filename=…") and of every encapsulated message/rfc822 or message/global. TEXT
/// searches "the header (including MIME header fields) or body"; BODY "doesn't match any header fields", so BODY
/// does not see them (as Dovecot).</item>
/// <item><b>Body texts</b>: every text/* part (transfer encoding undone, charset converted; UTF-7 too, which
/// MimeKit cannot decode; HTML as it is), the lines of a text/rfc822-headers part, and every other terminal
/// message/* part (message/delivery-status, message/disposition-notification, message/feedback-report…: the
/// server may skip only terminal types "other than TEXT and MESSAGE"), taken as UTF-8, else Latin-1. Attachments'
/// raw encoding is not searched.</item>
/// </list>
/// Never throws on a part it cannot decode: it gives what it could decode, or nothing.
/// </summary>
internal static class BodyText
{
    private const int MaxDepth = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends the MIME header texts and body texts of <paramref name="body"/> (a message's top-level
    /// entity, whose own Content-* fields are the message's header, not collected here).</summary>
    public static void Collect(MimeEntity? body, List<string> mimeHeaders, List<string> bodies) => Walk(body, mimeHeaders, bodies, 0);

    private static void Walk(MimeEntity? entity, List<string> mimeHeaders, List<string> bodies, int depth)
    {
        if (entity is null || depth > MaxDepth) return;
        if (depth > 0)
        {
            foreach (var header in entity.Headers) mimeHeaders.Add(FieldText(header));
        }
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart) Walk(child, mimeHeaders, bodies, depth + 1);
                break;
            case TextRfc822Headers { Message: { } headersOnly }:
                // text/rfc822-headers (RFC 6522 §4) is a text part whose lines happen to be header fields: body text.
                foreach (var header in SearchDocument.TopLevelHeaders(headersOnly)) bodies.Add(FieldText(header));
                break;
            case MessagePart { Message: { } inner }:
                foreach (var header in inner.Headers) mimeHeaders.Add(FieldText(header));
                Walk(inner.Body, mimeHeaders, bodies, depth + 1);
                break;
            case TextPart text:
                bodies.Add(Decode(text));
                break;
            case MimePart part when part.ContentType.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase):
                bodies.Add(AsText(DecodedContent(part)));
                break;
        }
    }

    private static string FieldText(Header header) => header.Field + ": " + SearchDocument.DecodedValue(header);

    private static string Decode(TextPart part)
    {
        if (EncodedWords.IsUtf7Charset(part.ContentType.Charset))
        {
            return EncodedWords.DecodeUtf7(DecodedContent(part));
        }
        try
        {
            return part.Text ?? string.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or FormatException or InvalidOperationException)
        {
            return Encoding.Latin1.GetString(DecodedContent(part));
        }
    }

    /// <summary>The part's content with the transfer encoding undone; what could be decoded when decoding fails.</summary>
    private static byte[] DecodedContent(MimePart part)
    {
        using var decoded = new MemoryStream();
        try
        {
            part.Content?.DecodeTo(decoded);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or FormatException or InvalidOperationException or IOException)
        {
        }
        return decoded.ToArray();
    }

    /// <summary>UTF-8 when the octets are valid UTF-8, else Latin-1 (every octet a character).</summary>
    private static string AsText(byte[] octets)
    {
        try
        {
            return StrictUtf8.GetString(octets);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(octets);
        }
    }
}
