using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Search;

/// <summary>
/// A search criterion (RFC 9051 §6.4.4 <c>search-key</c>) as a tree. The IMAP parser builds it; the session
/// rewrites <see cref="SequenceSetKey"/> to <see cref="UidSetKey"/> before it reaches the store.
/// </summary>
public abstract record SearchKey;

/// <summary><c>ALL</c>.</summary>
public sealed record AllKey : SearchKey
{
    /// <summary>The single instance.</summary>
    public static AllKey Instance { get; } = new();
}

/// <summary>A conjunction (a parenthesised list or consecutive keys).</summary>
public sealed record AndKey(IReadOnlyList<SearchKey> Keys) : SearchKey;

/// <summary><c>OR a b</c>.</summary>
public sealed record OrKey(SearchKey Left, SearchKey Right) : SearchKey;

/// <summary><c>NOT a</c>.</summary>
public sealed record NotKey(SearchKey Key) : SearchKey;

/// <summary>A system flag set or not: ANSWERED/UNANSWERED, DELETED/UNDELETED, DRAFT/UNDRAFT, FLAGGED/UNFLAGGED,
/// SEEN/UNSEEN.</summary>
public sealed record FlagKey(MessageFlags Flag, bool IsSet) : SearchKey;

/// <summary><c>KEYWORD k</c> / <c>UNKEYWORD k</c> (case-insensitive).</summary>
public sealed record KeywordKey(string Keyword, bool IsSet) : SearchKey;

/// <summary><c>RECENT</c> (true) or <c>OLD</c> (false); <c>NEW</c> is RECENT and UNSEEN. Letterbox reports no message
/// as recent, so RECENT matches none and OLD all.</summary>
public sealed record RecentKey(bool IsRecent) : SearchKey;

/// <summary>A header contains a string (case-insensitive substring on decoded text). BCC/CC/FROM/SUBJECT/TO are
/// this key with that field name; <c>HEADER field ""</c> matches every message that has the field.</summary>
public sealed record HeaderKey(string Field, string Value) : SearchKey;

/// <summary><c>BODY s</c>: the body (decoded text/* and terminal message/* parts) contains s; no header field, not
/// even a MIME part's, is searched (RFC 9051 §6.4.4).</summary>
public sealed record BodyKey(string Value) : SearchKey;

/// <summary><c>TEXT s</c>: the header (MIME part headers included) or body contains s.</summary>
public sealed record TextKey(string Value) : SearchKey;

/// <summary>Which date a <see cref="DateKey"/> compares.</summary>
public enum DateField
{
    /// <summary>INTERNALDATE (BEFORE/ON/SINCE), compared by date in the INTERNALDATE's own time zone.</summary>
    Internal,
    /// <summary>The Date: header (SENTBEFORE/SENTON/SENTSINCE), ignoring time and time zone.</summary>
    Sent,
}

/// <summary>How a <see cref="DateKey"/> compares.</summary>
public enum DateComparison
{
    /// <summary>Earlier than the date.</summary>
    Before,
    /// <summary>Within the date.</summary>
    On,
    /// <summary>Within or later than the date.</summary>
    Since,
}

/// <summary>BEFORE/ON/SINCE/SENTBEFORE/SENTON/SENTSINCE.</summary>
public sealed record DateKey(DateField Field, DateComparison Comparison, DateOnly Date) : SearchKey;

/// <summary><c>LARGER n</c> (true) / <c>SMALLER n</c> (false) on RFC822.SIZE.</summary>
public sealed record SizeKey(bool Larger, long Size) : SearchKey;

/// <summary><c>OLDER n</c> (true) / <c>YOUNGER n</c> (false), seconds relative to now on INTERNALDATE (RFC 5032).</summary>
public sealed record WithinKey(bool Older, long Seconds) : SearchKey;

/// <summary><c>MODSEQ n</c> (RFC 7162 §3.1.5): messages with MODSEQ ≥ n.</summary>
public sealed record ModSeqKey(ulong ModSeq) : SearchKey;

/// <summary>A sequence set (sequence numbers when <see cref="IsUid"/> is false, <c>UID set</c> otherwise), as parsed.</summary>
public sealed record SequenceSetKey(SequenceSet Set, bool IsUid) : SearchKey;

/// <summary>A resolved set of UIDs (ascending, distinct): what the session hands the store for a sequence set.</summary>
public sealed record UidSetKey(IReadOnlyList<uint> Uids) : SearchKey;
