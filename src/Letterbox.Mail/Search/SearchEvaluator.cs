namespace Letterbox.Mail.Search;

/// <summary>
/// Evaluates a <see cref="SearchKey"/> against one message, straight from RFC 9051 §6.4.4: header and body keys are
/// case-insensitive substring matches on decoded text (RFC 2047 words, transfer encodings, charsets).
/// <see cref="SequenceSetKey"/> must have been rewritten to <see cref="UidSetKey"/>; meeting one throws
/// <see cref="InvalidOperationException"/>.
/// </summary>
public sealed partial class SearchEvaluator
{
    /// <summary>Returns whether <paramref name="candidate"/> matches <paramref name="key"/>. <paramref name="now"/> is the
    /// reference time for OLDER/YOUNGER.</summary>
    public ValueTask<bool> MatchesAsync(SearchKey key, ISearchCandidate candidate, DateTimeOffset now, CancellationToken cancellationToken = default)
        => MatchesCoreAsync(key, candidate, now, cancellationToken);

    /// <summary>As <see cref="MatchesAsync"/>, with the message's text already at hand (a store's index) instead of
    /// parsing its bytes: content keys match against <paramref name="document"/>; the bytes are never opened.</summary>
    public bool Matches(SearchKey key, ISearchCandidate candidate, SearchDocument document, DateTimeOffset now)
        => MatchesDocument(key, candidate, document, now);
}
