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
    public static MessageStructure Analyze(Stream message) => AnalyzeCore(message, null).Structure;

    /// <summary>
    /// Analyzes like <see cref="Analyze(Stream)"/> and also computes the SORT/THREAD keys (RFC 5256) and the search
    /// text (<see cref="MessageAnalysis.SearchText"/>) from the same parse: what a store caches at delivery.
    /// </summary>
    public static MessageAnalysis AnalyzeWithSortKeys(Stream message)
    {
        var holder = new Search.SearchDocument?[1];
        var (structure, references) = AnalyzeCore(message, holder);
        return new MessageAnalysis(structure, SortKeys.FromEnvelope(structure.Envelope, references)) { SearchText = holder[0] };
    }

    /// <summary>
    /// The SORT/THREAD keys of a message stored before keys were cached: its cached <paramref name="envelope"/> plus
    /// the References field read from the header of <paramref name="message"/> (only the header is parsed). Gives
    /// the same keys as <see cref="AnalyzeWithSortKeys"/> for the same bytes.
    /// </summary>
    public static SortKeys ReadSortKeys(Stream message, Envelope envelope) =>
        SortKeys.FromEnvelope(envelope, ReadReferences(message));

    /// <summary>
    /// As <see cref="Analyze(Stream)"/>, and also returns the message's decoded search text from the same parse
    /// (<see cref="Search.SearchDocument"/>, what SEARCH's header/body/text keys match, RFC 9051 §6.4.4), or null
    /// when MimeKit could not parse the message (a store then leaves it to <see cref="Search.SearchEvaluator"/>).
    /// </summary>
    public static MessageStructure Analyze(Stream message, out Search.SearchDocument? searchDocument)
    {
        var holder = new Search.SearchDocument?[1];
        var (structure, _) = AnalyzeCore(message, holder);
        searchDocument = holder[0];
        return structure;
    }
}

/// <summary>What a store caches about a message at delivery: its structure (FETCH) and sort keys (SORT, THREAD).</summary>
public sealed record MessageAnalysis(MessageStructure Structure, SortKeys SortKeys)
{
    /// <summary>The decoded, folded text SEARCH matches (RFC 9051 §6.4.4); null when MimeKit could not parse the
    /// message (the store then searches it by parsing, see <see cref="Search.SearchEvaluator"/>).</summary>
    public Search.SearchDocument? SearchText { get; init; }
}
