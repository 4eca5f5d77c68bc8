using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>Progress of <see cref="SqliteMailStore.RebuildSearchIndexAsync"/>: messages' blobs done out of the total,
/// and how many of them could not be indexed (searched by parsing instead).</summary>
/// <param name="Done">Blobs processed so far.</param>
/// <param name="Total">Blobs to process.</param>
/// <param name="Unindexable">Blobs whose text cannot be stored (MimeKit could not parse them, or separator
/// characters in the text); SEARCH parses these on every search.</param>
public readonly record struct SearchIndexProgress(long Done, long Total, long Unindexable);

public sealed partial class SqliteMailStore
{
    private const string SearchTextInsert =
        "INSERT INTO search_text (blob_id, from_, to_, cc, bcc, subject, headers, body) " +
        "SELECT $blob, $from, $to, $cc, $bcc, $subject, $headers, $body WHERE EXISTS (SELECT 1 FROM blobs WHERE id = $blob)";

    /// <summary>A prepared insert of search text rows in one write transaction.</summary>
    private sealed class SearchTextWriter : IDisposable
    {
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _delete;
        private readonly SqliteParameter _blob;
        private readonly SqliteParameter[] _columns;
        private readonly SqliteParameter _deleteBlob;

        public SearchTextWriter(WriteScope scope)
        {
            _insert = scope.Command(SearchTextInsert);
            _blob = _insert.Parameters.Add("$blob", SqliteType.Integer);
            _columns =
            [
                _insert.Parameters.Add("$from", SqliteType.Text), _insert.Parameters.Add("$to", SqliteType.Text),
                _insert.Parameters.Add("$cc", SqliteType.Text), _insert.Parameters.Add("$bcc", SqliteType.Text),
                _insert.Parameters.Add("$subject", SqliteType.Text), _insert.Parameters.Add("$headers", SqliteType.Text),
                _insert.Parameters.Add("$body", SqliteType.Text),
            ];
            _delete = scope.Command("DELETE FROM search_text WHERE blob_id = $blob");
            _deleteBlob = _delete.Parameters.Add("$blob", SqliteType.Integer);
        }

        /// <summary>Stores the text of <paramref name="blobId"/> (replacing any; a row with NULL text when
        /// <paramref name="document"/> is null or not storable). Returns false if it is not indexable.</summary>
        public async Task<bool> WriteAsync(long blobId, SearchDocument? document, bool replace, CancellationToken cancellationToken)
        {
            if (replace)
            {
                _deleteBlob.Value = blobId;
                await _delete.ExecuteNonQueryAsync(cancellationToken);
            }
            var columns = document is null ? null : SearchTextColumns.Create(document);
            _blob.Value = blobId;
            _columns[0].Value = (object?)columns?.From ?? DBNull.Value;
            _columns[1].Value = (object?)columns?.To ?? DBNull.Value;
            _columns[2].Value = (object?)columns?.Cc ?? DBNull.Value;
            _columns[3].Value = (object?)columns?.Bcc ?? DBNull.Value;
            _columns[4].Value = (object?)columns?.Subject ?? DBNull.Value;
            _columns[5].Value = (object?)columns?.Headers ?? DBNull.Value;
            _columns[6].Value = (object?)columns?.Body ?? DBNull.Value;
            await _insert.ExecuteNonQueryAsync(cancellationToken);
            return columns is not null;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _delete.Dispose();
        }
    }

    /// <summary>
    /// (Re)builds the full-text search index for the messages of <paramref name="userName"/> (all users when null),
    /// only mailbox <paramref name="mailboxName"/> of that user when given: each blob is parsed again (in parallel,
    /// outside the write lock) and its search text replaced, <paramref name="batchSize"/> blobs per transaction, so
    /// the server may keep running. Afterwards, if every blob of the store has its row, the store is marked
    /// complete and SEARCH stops checking for unindexed messages, and the FTS5 tables are merged ('optimize': one
    /// write transaction, ≈ 25 s for 100,000 messages) so that the replaced entries take no space (docs/storage.md). Messages without a row are
    /// always searched correctly, by parsing them.
    /// </summary>
    /// <exception cref="MailStoreException">NoSuchUser / NonExistent: no such user or mailbox.</exception>
    public async Task<SearchIndexProgress> RebuildSearchIndexAsync(string? userName, string? mailboxName, IProgress<SearchIndexProgress>? progress = null,
        int batchSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var blobIds = new List<long>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            if (userName is null)
            {
                if (mailboxName is not null) throw new ArgumentException("A mailbox needs a user.", nameof(mailboxName));
                command.CommandText = "SELECT id FROM blobs ORDER BY id";
            }
            else
            {
                var user = await FindUserAsync(userName, cancellationToken)
                    ?? throw new MailStoreException(MailStoreError.NoSuchUser, $"No user {userName}.");
                long? mailboxId = null;
                if (mailboxName is not null)
                {
                    mailboxId = (await GetMailboxAsync(user.Id, mailboxName, cancellationToken)
                        ?? throw new MailStoreException(MailStoreError.NonExistent, $"No mailbox {mailboxName} for {userName}.")).Id;
                }
                command.CommandText = "SELECT DISTINCT m.blob_id FROM messages m JOIN mailboxes x ON x.id = m.mailbox_id " +
                    "WHERE x.user_id = $user AND ($mailbox IS NULL OR x.id = $mailbox) ORDER BY m.blob_id";
                command.Parameters.AddWithValue("$user", user.Id);
                command.Parameters.AddWithValue("$mailbox", (object?)mailboxId ?? DBNull.Value);
            }
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobIds.Add(reader.GetInt64(0));
            }
        }

        var unindexable = await IndexBlobsAsync(blobIds, progress, batchSize, cancellationToken);
        await MarkSearchIndexCompleteIfSoAsync(cancellationToken);
        if (blobIds.Count > 0)
        {
            // Replacing rows leaves the old entries as deletion markers in FTS5's segments until they are merged:
            // after 100,000 replacements the text index was 2.7 times its size. One merge into a single segment
            // (≈ 25 s for 100,000 messages, in one write transaction) brings it back (docs/storage.md).
            using var scope = await BeginWriteAsync(cancellationToken);
            using var optimize = scope.Command(
                "INSERT INTO search_fields (search_fields) VALUES ('optimize'); INSERT INTO search_texts (search_texts) VALUES ('optimize');");
            await optimize.ExecuteNonQueryAsync(cancellationToken);
            scope.Commit();
        }
        return new SearchIndexProgress(blobIds.Count, blobIds.Count, unindexable);
    }

    /// <summary>
    /// Indexes the blobs that have no <c>search_text</c> row: after schema migration 7 emptied the index of a store
    /// written by an older text format, or in a store from before the index. The server runs it in the background
    /// at start (SEARCH stays correct meanwhile: messages without a row are parsed), <paramref name="batchSize"/>
    /// blobs per write transaction so that deliveries wait little. Marks the index complete at the end when every
    /// blob has its row. Returns the blobs indexed (Done = Total) and how many could not be indexed.
    /// </summary>
    public async Task<SearchIndexProgress> IndexMissingSearchTextAsync(IProgress<SearchIndexProgress>? progress = null, int batchSize = 100,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var blobIds = new List<long>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            if (await IsSearchIndexCompleteAsync(connection, cancellationToken))
            {
                return new SearchIndexProgress(0, 0, 0);
            }
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT b.id FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM search_text t WHERE t.blob_id = b.id) ORDER BY b.id";
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobIds.Add(reader.GetInt64(0));
            }
        }
        var unindexable = await IndexBlobsAsync(blobIds, progress, batchSize, cancellationToken);
        await MarkSearchIndexCompleteIfSoAsync(cancellationToken);
        return new SearchIndexProgress(blobIds.Count, blobIds.Count, unindexable);
    }

    /// <summary>Parses <paramref name="blobIds"/> in parallel, <paramref name="batchSize"/> at a time, and replaces
    /// their rows, one write transaction per batch; returns how many could not be indexed.</summary>
    private async Task<long> IndexBlobsAsync(List<long> blobIds, IProgress<SearchIndexProgress>? progress, int batchSize, CancellationToken cancellationToken)
    {
        long unindexable = 0;
        var documents = new SearchDocument?[batchSize];
        for (var start = 0; start < blobIds.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, blobIds.Count - start);
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => documents[i] = ReadSearchDocument(blobIds[start + i]));
            using (var scope = await BeginWriteAsync(cancellationToken))
            {
                using var writer = new SearchTextWriter(scope);
                for (var i = 0; i < count; i++)
                {
                    if (!await writer.WriteAsync(blobIds[start + i], documents[i], replace: true, cancellationToken)) unindexable++;
                }
                scope.Commit();
            }
            Array.Clear(documents);
            progress?.Report(new SearchIndexProgress(start + count, blobIds.Count, unindexable));
        }
        return unindexable;
    }

    /// <summary>Sets <c>search_index_complete</c> when every blob has its <c>search_text</c> row.</summary>
    private async Task MarkSearchIndexCompleteIfSoAsync(CancellationToken cancellationToken)
    {
        using var scope = await BeginWriteAsync(cancellationToken);
        using var complete = scope.Command(
            "INSERT OR REPLACE INTO store_state (key, value) SELECT 'search_index_complete', 1 " +
            "WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM search_text t WHERE t.blob_id = b.id))");
        await complete.ExecuteNonQueryAsync(cancellationToken);
        scope.Commit();
    }

    /// <summary>Whether every blob has a <c>search_text</c> row (then only rows with NULL text need parsing).</summary>
    private static async Task<bool> IsSearchIndexCompleteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM store_state WHERE key = 'search_index_complete'";
        return await command.ExecuteScalarAsync(cancellationToken) is long value && value == 1;
    }

    /// <summary>Parses a stored blob for its search text; null if the file is gone or MimeKit cannot parse it.</summary>
    private SearchDocument? ReadSearchDocument(long blobId)
    {
        using var file = _blobs.OpenRead(blobId);
        if (file is null) return null;
        MessageAnalyzer.Analyze(file, out var document);
        return document;
    }
}
