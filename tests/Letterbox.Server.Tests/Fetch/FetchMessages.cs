namespace Letterbox.Server.Tests.Fetch;

/// <summary>Test messages with CRLF line ends.</summary>
internal static class FetchMessages
{
    public static readonly DateTimeOffset Date = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public const string Simple =
        "From: Alice <alice@example.com>\r\n" +
        "To: bob@example.org\r\n" +
        "Subject: Hi\r\n" +
        "\r\n" +
        "Hello there, Bob.\r\n";

    public const string MultipartHeader =
        "From: Alice <alice@example.com>\r\n" +
        "To: Bob <bob@example.org>\r\n" +
        "Subject: Report\r\n" +
        "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
        "Message-ID: <m1@example.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"XX\"\r\n" +
        "\r\n";

    public const string Part1Mime = "Content-Type: text/plain; charset=us-ascii\r\n\r\n";

    public const string Part1Body = "Hello Bob\r\nSecond line\r\n";

    public const string Part2Mime = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";

    public const string Part2Body = "AAEC";

    public const string MultipartText =
        "--XX\r\n" + Part1Mime + Part1Body + "\r\n" +
        "--XX\r\n" + Part2Mime + Part2Body + "\r\n" +
        "--XX--\r\n";

    public const string Multipart = MultipartHeader + MultipartText;

    /// <summary>A message of about <paramref name="size"/> octets with a body of numbered lines.</summary>
    public static string Large(int size)
    {
        var builder = new System.Text.StringBuilder("Subject: Large\r\n\r\n", size + 100);
        var line = 0;
        while (builder.Length < size)
        {
            builder.Append("line ").Append(line++).Append(" of a large message body, padded to a decent width\r\n");
        }
        return builder.ToString();
    }
}
