namespace Letterbox.Imap.Parsing;

/// <summary>
/// Every limit the request reader enforces, in one place. All are configurable; the defaults suit a laptop and
/// ordinary clients. Exceeding a limit gives a BAD (or NO [TOOBIG]) response, never unbounded buffering.
/// </summary>
public sealed class ImapLimits
{
    /// <summary>Maximum bytes of one line, excluding literal data and the CRLF.</summary>
    public int MaxLineLength { get; init; } = 65536;

    /// <summary>Maximum characters of a tag (RFC 9051 §2.2.1).</summary>
    public int MaxTagLength { get; init; } = 64;

    /// <summary>Maximum bytes of a literal that is not APPEND message data (buffered in memory).</summary>
    public long MaxInlineLiteralLength { get; init; } = 65536;

    /// <summary>Maximum bytes of a whole command, lines plus inline literals (APPEND message data excluded).</summary>
    public long MaxCommandLength { get; init; } = 1 << 20;

    /// <summary>Maximum bytes of one APPEND message literal (streamed to a stager, never buffered).</summary>
    public long MaxAppendLiteralLength { get; init; } = 64L << 20;

    /// <summary>Maximum parenthesis nesting in SEARCH, LIST and FETCH arguments. OR/NOT chains may recurse up to
    /// eight times this depth.</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>Maximum number of comma-separated ranges in one sequence set.</summary>
    public int MaxSequenceSetRanges { get; init; } = 10000;

    /// <summary>The defaults.</summary>
    public static ImapLimits Default { get; } = new();
}
