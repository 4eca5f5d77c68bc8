namespace Letterbox.Mail.Messages;

/// <summary>
/// Parses a stored message once, at delivery, with MimeKit and returns what FETCH, SEARCH and SORT need, so they
/// never reparse. The input is the exact stored bytes (CRLF line ends); offsets in the result refer to them.
/// </summary>
public static partial class MessageAnalyzer
{
    /// <summary>
    /// Analyzes the message in <paramref name="message"/> (read from its current position to the end).
    /// Never throws for malformed mail: anything MimeKit cannot parse degrades to a text/plain body.
    /// Returns the structure with byte offsets (RFC 9051 §7.5.2 BODYSTRUCTURE, §6.4.5 sections).
    /// </summary>
    public static MessageStructure Analyze(Stream message) => AnalyzeCore(message);
}
