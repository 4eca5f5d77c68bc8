using System.Text;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Builders for small test messages.</summary>
internal static class Messages
{
    /// <summary>A text/plain message.</summary>
    public static MimeMessage Text(string subject, string body = "Hello world", string from = "alice@example.com", string to = "bob@example.org", DateTimeOffset? date = null, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = date ?? new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>The message as CRLF bytes, as MailKit sends it.</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        // MailKit's APPEND adds a final CRLF when the message lacks one.
        options.EnsureNewLine = true;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    /// <summary>A raw CRLF message from lines.</summary>
    public static byte[] Raw(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    /// <summary>A multipart/mixed message: text/plain part 1 and an application/octet-stream part 2.</summary>
    public static byte[] Multipart() => Raw(
        "From: Alice <alice@example.com>",
        "To: Bob <bob@example.org>",
        "Subject: multipart test",
        "Date: Tue, 05 Mar 2024 10:00:00 +0000",
        "Message-ID: <multi@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"XYZ\"",
        "",
        "preamble",
        "--XYZ",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Part one text.",
        "--XYZ",
        "Content-Type: application/octet-stream",
        "Content-Transfer-Encoding: base64",
        "",
        "AAECAwQFBgcICQ==",
        "--XYZ--",
        "");
}
