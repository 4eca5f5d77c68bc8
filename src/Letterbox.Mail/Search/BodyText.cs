using MimeKit;

namespace Letterbox.Mail.Search;

/// <summary>Collects the decoded text BODY and TEXT search: text/* parts (not attachments' raw encoding) and, for
/// message/rfc822 parts, the encapsulated header and text.</summary>
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
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart) Walk(child, texts, depth + 1);
                break;
            case MessagePart { Message: { } inner }:
                foreach (var header in inner.Headers) texts.Add(header.Field + ": " + header.Value);
                Walk(inner.Body, texts, depth + 1);
                break;
            case TextPart text:
                texts.Add(Decode(text));
                break;
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
