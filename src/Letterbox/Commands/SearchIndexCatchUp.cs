using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary>
/// Runs with <c>letterbox serve</c>: indexes, in the background, the messages that have no search text yet — all of
/// them after schema migration 7 (a new text format) or in a store from before the index
/// (<see cref="SqliteMailStore.IndexMissingSearchTextAsync"/>). SEARCH answers the same meanwhile (such messages are
/// parsed, so it is slower until this ends); nothing happens when the index is complete. Logs the start, progress
/// every 10 % and the end; a stop cancels it between batches and the next start continues.
/// </summary>
internal sealed class SearchIndexCatchUp(SqliteMailStore store, ILogger<SearchIndexCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = DateTime.UtcNow;
        try
        {
            var result = await store.IndexMissingSearchTextAsync(new Reporter(logger, started), cancellationToken: stoppingToken);
            if (result.Total > 0)
            {
                logger.LogInformation("Search index complete: {Count} messages indexed in {Seconds:F0} s ({Unindexable} not indexable: searched by parsing)",
                    result.Total, (DateTime.UtcNow - started).TotalSeconds, result.Unindexable);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Search indexing stopped; it continues at the next start");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "Search indexing failed; SEARCH stays correct (unindexed messages are parsed). Run 'letterbox index rebuild'");
        }
    }

    /// <summary>Logs the first report and then every 10 % (reports arrive in order, from one task).</summary>
    private sealed class Reporter(ILogger logger, DateTime started) : IProgress<SearchIndexProgress>
    {
        private long _nextPercent = -1;

        public void Report(SearchIndexProgress value)
        {
            var percent = value.Total == 0 ? 100 : value.Done * 100 / value.Total;
            if (_nextPercent < 0)
            {
                logger.LogInformation("Indexing {Total} messages for search in the background (after an upgrade); SEARCH stays correct meanwhile, and slower", value.Total);
                _nextPercent = 10;
            }
            if (percent < _nextPercent) return;
            _nextPercent = percent - (percent % 10) + 10;
            logger.LogInformation("Search indexing: {Done}/{Total} messages ({Percent} %, {Seconds:F0} s)", value.Done, value.Total, percent, (DateTime.UtcNow - started).TotalSeconds);
        }
    }
}
