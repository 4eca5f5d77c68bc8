using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary>
/// Runs with <c>letterbox serve</c> and catches an upgraded store up in the background, so that no client command
/// has to: first the sort keys of messages that have none (after schema migration 5;
/// <see cref="SqliteMailStore.BackfillMissingSortKeysAsync"/> — otherwise the first SORT/THREAD of a big mailbox
/// computes them, minutes for 100,000 messages), then the search text of messages that have none (after schema
/// migration 7, a new text format; <see cref="SqliteMailStore.IndexMissingSearchTextAsync"/> — until then SEARCH
/// parses them). Answers stay the same meanwhile, only slower. Nothing happens when both are complete. Logs the
/// start, progress every 10 % and the end of each step; a stop cancels it between batches and the next start
/// continues.
/// </summary>
internal sealed class StoreCatchUp(SqliteMailStore store, ILogger<StoreCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var started = DateTime.UtcNow;
            var sortReporter = new Reporter(logger, total => logger.LogInformation(
                "Computing the sort keys of {Total} messages in the background (after an upgrade); SORT and THREAD stay correct meanwhile", total), "Sort keys", started);
            var sorted = await store.BackfillMissingSortKeysAsync(new Progress(sortReporter), stoppingToken);
            if (sorted > 0)
            {
                logger.LogInformation("Sort keys complete: {Count} messages in {Seconds:F0} s", sorted, (DateTime.UtcNow - started).TotalSeconds);
            }

            started = DateTime.UtcNow;
            var searchReporter = new Reporter(logger, total => logger.LogInformation(
                "Indexing {Total} messages for search in the background (after an upgrade); SEARCH stays correct meanwhile, and slower", total), "Search indexing", started);
            var indexed = await store.IndexMissingSearchTextAsync(new SearchProgress(searchReporter), cancellationToken: stoppingToken);
            if (indexed.Total > 0)
            {
                logger.LogInformation("Search index complete: {Count} messages indexed in {Seconds:F0} s ({Unindexable} not indexable: searched by parsing)",
                    indexed.Total, (DateTime.UtcNow - started).TotalSeconds, indexed.Unindexable);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Background catch-up stopped; it continues at the next start");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "Background catch-up failed; answers stay correct, only slower. Run 'letterbox index rebuild' for the search index");
        }
    }

    private sealed class Progress(Reporter reporter) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reporter.Report(value.Done, value.Total);
    }

    private sealed class SearchProgress(Reporter reporter) : IProgress<SearchIndexProgress>
    {
        public void Report(SearchIndexProgress value) => reporter.Report(value.Done, value.Total);
    }

    /// <summary>Logs the first report and then every 10 % (reports arrive in order, from one task).</summary>
    private sealed class Reporter(ILogger logger, Action<long> logStart, string step, DateTime started)
    {
        private long _nextPercent = -1;

        public void Report(long done, long total)
        {
            var percent = total == 0 ? 100 : done * 100 / total;
            if (_nextPercent < 0)
            {
                logStart(total);
                _nextPercent = 10;
            }
            if (percent < _nextPercent) return;
            _nextPercent = percent - (percent % 10) + 10;
            logger.LogInformation("{Step}: {Done}/{Total} messages ({Percent} %, {Seconds:F0} s)", step, done, total, percent, (DateTime.UtcNow - started).TotalSeconds);
        }
    }
}
