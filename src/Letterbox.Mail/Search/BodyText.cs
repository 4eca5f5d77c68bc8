using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>Collects the decoded text BODY and TEXT search: the header fields of every MIME part inside the body
/// ("Content-Disposition: attachment; filename=…" — RFC 9051 §6.4.4: TEXT searches "the header (including MIME
/// header fields) or body"; they are part of the RFC 5322 body, so BODY finds them too), text/* parts (not
/// attachments' raw encoding) and, for message/rfc822 parts, the encapsulated header and text.</summary>
internal static class BodyText
{
    private const int MaxDepth = 100;

    public static List<string> Collect(MimeEntity? body)
    {
        var texts = new List<string>();
        Walk(body, texts, 0);
        return texts;
    }

    private static void Walk(MimeEntity? entity, List<string> texts, int depth)
    {
        if (entity is null || depth > MaxDepth) return;
        if (depth > 0)
        {
            // The top-level entity's Content-* fields are the message's own header (searched as header fields).
            foreach (var header in entity.Headers) texts.Add(FieldText(header));
        }
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart) Walk(child, texts, depth + 1);
                break;
            case MessagePart { Message: { } inner }:
                foreach (var header in inner.Headers) texts.Add(FieldText(header));
                Walk(inner.Body, texts, depth + 1);
                break;
            case TextPart text:
                texts.Add(Decode(text));
                break;
        }
    }

    private static string FieldText(Header header)
    {
        try
        {
            return header.Field + ": " + header.Value;
        }
        catch (ArgumentException)
        {
            return header.Field + ": ";
        }
    }

    private static string Decode(TextPart part)
    {
        try
        {
            return part.Text ?? string.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or FormatException or InvalidOperationException)
        {
            return part.GetText(System.Text.Encoding.Latin1);
        }
    }
}
