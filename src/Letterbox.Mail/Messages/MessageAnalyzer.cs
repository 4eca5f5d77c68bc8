using Letterbox.Mail.Sorting;

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
    public static MessageStructure Analyze(Stream message) => AnalyzeCore(message).Structure;

    /// <summary>
    /// Analyzes like <see cref="Analyze"/> and also computes the SORT/THREAD keys (RFC 5256) from the same parse:
    /// what a store caches at delivery.
    /// </summary>
    public static MessageAnalysis AnalyzeWithSortKeys(Stream message)
    {
        var (structure, references) = AnalyzeCore(message);
        return new MessageAnalysis(structure, SortKeys.FromEnvelope(structure.Envelope, references));
    }

    /// <summary>
    /// The SORT/THREAD keys of a message stored before keys were cached: its cached <paramref name="envelope"/> plus
    /// the References field read from the header of <paramref name="message"/> (only the header is parsed). Gives
    /// the same keys as <see cref="AnalyzeWithSortKeys"/> for the same bytes.
    /// </summary>
    public static SortKeys ReadSortKeys(Stream message, Envelope envelope) =>
        SortKeys.FromEnvelope(envelope, ReadReferences(message));
}

/// <summary>What a store caches about a message at delivery: its structure (FETCH) and sort keys (SORT, THREAD).</summary>
public sealed record MessageAnalysis(MessageStructure Structure, SortKeys SortKeys);
