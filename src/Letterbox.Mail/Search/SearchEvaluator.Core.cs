using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Search;

public sealed partial class SearchEvaluator
{
    private static async ValueTask<bool> MatchesCoreAsync(SearchKey key, ISearchCandidate candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidate);

        // First pass on cached fields only; keys that need the message's bytes answer "unknown" (null), and
        // AND/OR/NOT combine in three-valued logic, so the message is opened only when the answer depends on it.
        var quick = Evaluate(key, candidate, now, null);
        if (quick.HasValue) return quick.Value;

        var document = await LoadAsync(candidate, cancellationToken).ConfigureAwait(false);
        // A message MimeKit cannot parse has no header and no body text: every content key is false.
        return Evaluate(key, candidate, now, document ?? Unparseable) ?? false;
    }

    private static bool MatchesDocument(SearchKey key, ISearchCandidate candidate, SearchDocument document, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(document);
        return Evaluate(key, candidate, now, document) ?? false;
    }

    /// <summary>Stands for "parsed, but MimeKit could not": no content key matches (not even an empty string).</summary>
    private static readonly SearchDocument Unparseable = new([], [], []);

    /// <summary>Opens and parses the candidate's bytes; null when MimeKit cannot parse them.</summary>
    private static async ValueTask<SearchDocument?> LoadAsync(ISearchCandidate candidate, CancellationToken cancellationToken)
    {
        var stream = await candidate.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var parser = new MimeKit.MimeParser(MessageAnalyzer.Options, stream, MimeKit.MimeFormat.Default, persistent: false);
                var message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
                return SearchDocument.FromMessage(message);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    /// <summary>Three-valued: null means "needs the message's text" (<paramref name="content"/> not loaded yet).</summary>
    private static bool? Evaluate(SearchKey key, ISearchCandidate candidate, DateTimeOffset now, SearchDocument? content)
    {
        switch (key)
        {
            case AllKey:
                return true;
            case AndKey and:
            {
                bool? result = true;
                foreach (var k in and.Keys)
                {
                    var r = Evaluate(k, candidate, now, content);
                    if (r == false) return false;
                    if (r is null) result = null;
                }
                return result;
            }
            case OrKey or:
            {
                var left = Evaluate(or.Left, candidate, now, content);
                if (left == true) return true;
                var right = Evaluate(or.Right, candidate, now, content);
                if (right == true) return true;
                return left is null || right is null ? null : false;
            }
            case NotKey not:
            {
                var r = Evaluate(not.Key, candidate, now, content);
                return r is null ? null : !r.Value;
            }
            case FlagKey flag:
                return ((candidate.Flags & flag.Flag) == flag.Flag && flag.Flag != MessageFlags.None) == flag.IsSet;
            case KeywordKey keyword:
                return HasKeyword(candidate.Keywords, keyword.Keyword) == keyword.IsSet;
            case RecentKey recent:
                return !recent.IsRecent; // no message is ever \Recent (see RecentKey)
            case SizeKey size:
                return size.Larger ? candidate.Size > size.Size : candidate.Size < size.Size;
            case WithinKey within:
            {
                var age = (now - candidate.InternalDate).TotalSeconds;
                return within.Older ? age > within.Seconds : age <= within.Seconds;
            }
            case ModSeqKey modSeq:
                return candidate.ModSeq >= modSeq.ModSeq;
            case UidSetKey uidSet:
                return ContainsSorted(uidSet.Uids, candidate.Uid);
            case DateKey date:
                return DateMatcher.Matches(date, candidate);
            case SequenceSetKey:
                throw new InvalidOperationException("SequenceSetKey must be rewritten to UidSetKey by the session before evaluation (RFC 9051 §6.4.4 sequence-set).");
            case HeaderKey header:
                if (content is null) return null;
                if (ReferenceEquals(content, Unparseable)) return false;
                return content.HeaderContains(SearchDocument.Fold(header.Field), SearchDocument.Fold(header.Value));
            case BodyKey body:
                if (content is null) return null;
                if (ReferenceEquals(content, Unparseable)) return false;
                return content.BodyContains(SearchDocument.Fold(body.Value));
            case TextKey text:
            {
                if (content is null) return null;
                if (ReferenceEquals(content, Unparseable)) return false;
                return content.TextContains(SearchDocument.Fold(text.Value));
            }
            default:
                throw new InvalidOperationException($"Unknown search key {key.GetType().Name}.");
        }
    }

    private static bool HasKeyword(IReadOnlyList<string> keywords, string keyword)
    {
        for (var i = 0; i < keywords.Count; i++)
        {
            if (string.Equals(keywords[i], keyword, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Binary search in an ascending list.</summary>
    private static bool ContainsSorted(IReadOnlyList<uint> uids, uint uid)
    {
        int low = 0, high = uids.Count - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            var value = uids[mid];
            if (value == uid) return true;
            if (value < uid) low = mid + 1;
            else high = mid - 1;
        }
        return false;
    }
}
