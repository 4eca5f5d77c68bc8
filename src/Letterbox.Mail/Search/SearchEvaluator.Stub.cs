namespace Letterbox.Mail.Search;

// Placeholder until the evaluator lands.
public sealed partial class SearchEvaluator
{
    private ValueTask<bool> MatchesCoreAsync(SearchKey key, ISearchCandidate candidate, DateTimeOffset now, CancellationToken cancellationToken)
        => ValueTask.FromResult(key is AllKey);
}
