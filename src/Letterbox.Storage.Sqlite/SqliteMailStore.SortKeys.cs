using System.Collections.Concurrent;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <summary>Sort keys by blob id. A blob's bytes never change, so an entry is never stale; a released blob's
    /// entry just waits for the next clear. Bounded by <see cref="SortKeyCacheLimit"/> (cleared when full).</summary>
    private readonly ConcurrentDictionary<long, SortKeys> _sortKeyCache = new();

    /// <summary>Most cached blobs (~300 bytes each: ~150 MB at the limit).</summary>
    private const int SortKeyCacheLimit = 500_000;

    /// <inheritdoc/>
    /// <remarks>
    /// Reads UID, INTERNALDATE, size and blob id from <c>messages</c> (primary key walk per run of UIDs,
    /// <see cref="WantedRows"/>), then each blob's keys from an in-process cache; misses are read from
    /// <c>sort_keys</c> by blob id and cached. (A join does one random B-tree seek per message: ~0.5 s of CPU for
    /// 100,000 messages, where the cached path takes a few ms.) <paramref name="fields"/> is not needed here: all
    /// keys are cached together. Blobs stored before schema migration 3 have no row: their keys are computed from
    /// the cached envelope plus the References field of the message file's header (in parallel), inserted in one
    /// write transaction per chunk, and returned — the first SORT of an old mailbox pays once.
    /// </remarks>
    public async Task<IReadOnlyList<SortableMessage>> GetSortKeysAsync(long mailboxId, IReadOnlyList<uint> uids, SortFields fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        if (uids.Count == 0)
        {
            return [];
        }
        var wanted = SortedDistinct(uids);
        var result = new List<SortableMessage>(wanted.Count);
        List<(int Index, long BlobId)>? misses = null;
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT uid, internal_date, size, blob_id FROM messages " +
                                  "WHERE mailbox_id = $id AND uid BETWEEN $low AND $high ORDER BY uid";
            command.Parameters.AddWithValue("$id", mailboxId);
            await WantedRows.ReadAsync(command, wanted, (reader, uid) =>
            {
                var internalDate = reader.GetInt64(1);
                var blobId = reader.GetInt64(3);
                if (_sortKeyCache.TryGetValue(blobId, out var keys))
                {
                    result.Add(new SortableMessage(uid, internalDate, reader.GetInt64(2), keys.SentDate ?? internalDate, keys));
                    return;
                }
                (misses ??= []).Add((result.Count, blobId));
                result.Add(new SortableMessage(uid, internalDate, reader.GetInt64(2), internalDate, SortKeys.Empty));
            }, cancellationToken);
            if (misses is null)
            {
                return result;
            }
            if (_sortKeyCache.Count + misses.Count > SortKeyCacheLimit)
            {
                _sortKeyCache.Clear();
            }
            if (misses.Count > 256)
            {
                // Many misses (a cold cache): one join over their UID range, not one statement per blob.
                using var join = connection.CreateCommand();
                join.CommandText = $"SELECT m.blob_id, {SortKeyColumns} FROM messages m JOIN sort_keys k ON k.blob_id = m.blob_id " +
                                   "WHERE m.mailbox_id = $id AND m.uid BETWEEN $low AND $high";
                join.Parameters.AddWithValue("$id", mailboxId);
                join.Parameters.AddWithValue("$low", (long)result[misses[0].Index].Uid);
                join.Parameters.AddWithValue("$high", (long)result[misses[^1].Index].Uid);
                using var reader = await join.ExecuteReaderAsync(cancellationToken);
                while (reader.Read())
                {
                    _sortKeyCache[reader.GetInt64(0)] = ReadKeys(reader, 1);
                }
            }
            using var lookup = connection.CreateCommand();
            lookup.CommandText = $"SELECT {SortKeyColumns} FROM sort_keys k WHERE k.blob_id = $blob";
            var blob = lookup.Parameters.Add("$blob", SqliteType.Integer);
            List<(int Index, long BlobId)>? missing = null;
            foreach (var (index, blobId) in misses)
            {
                if (!_sortKeyCache.TryGetValue(blobId, out var keys))
                {
                    blob.Value = blobId;
                    using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
                    if (!reader.Read())
                    {
                        (missing ??= []).Add((index, blobId));
                        continue;
                    }
                    keys = ReadKeys(reader, 0);
                    _sortKeyCache[blobId] = keys;
                }
                var old = result[index];
                result[index] = old with { SentDate = keys.SentDate ?? old.InternalDate, Keys = keys };
            }
            misses = missing;
        }
        if (misses is not null)
        {
            await BackfillSortKeysAsync(result, misses, cancellationToken);
        }
        return result;
    }

    private const string SortKeyColumns =
        "k.sent_date, k.subject, k.reply, k.from_key, k.to_key, k.cc_key, k.display_from, k.display_to, k.message_id, k.refs";

    /// <summary>Reads the <see cref="SortKeyColumns"/> starting at column <paramref name="at"/>.</summary>
    private static SortKeys ReadKeys(SqliteDataReader reader, int at) => new(
        reader.IsDBNull(at) ? null : reader.GetInt64(at),
        reader.GetString(at + 1),
        reader.GetInt64(at + 2) != 0,
        reader.GetString(at + 3),
        reader.GetString(at + 4),
        reader.GetString(at + 5),
        reader.GetString(at + 6),
        reader.GetString(at + 7),
        reader.IsDBNull(at + 8) ? null : reader.GetString(at + 8),
        reader.IsDBNull(at + 9) ? [] : reader.GetString(at + 9).Split(' '));

    /// <summary>Blobs backfilled per read/compute/write round (bounds memory and write-lock hold time).</summary>
    private const int BackfillChunk = 2048;

    /// <summary>Computes, stores and fills in the keys of blobs that have none (stored before migration 3 or after
    /// migration 5). A blob shared by several messages (COPY) is computed once.</summary>
    private async Task BackfillSortKeysAsync(List<SortableMessage> result, List<(int Index, long BlobId)> missing, CancellationToken cancellationToken)
    {
        var distinct = new List<(int Index, long BlobId)>(missing.Count);
        var first = new Dictionary<long, int>(missing.Count); // blob id → index in result of its first message
        List<(int Index, long BlobId)>? copies = null;
        foreach (var entry in missing)
        {
            if (first.TryAdd(entry.BlobId, entry.Index)) distinct.Add(entry);
            else (copies ??= []).Add(entry);
        }
        await BackfillDistinctAsync(result, distinct, cancellationToken);
        foreach (var (index, blobId) in copies ?? [])
        {
            var keys = result[first[blobId]].Keys;
            var old = result[index];
            result[index] = old with { SentDate = keys.SentDate ?? old.InternalDate, Keys = keys };
        }
    }

    /// <summary>Backfills <paramref name="missing"/>, whose blob ids are distinct.</summary>
    private async Task BackfillDistinctAsync(List<SortableMessage> result, List<(int Index, long BlobId)> missing, CancellationToken cancellationToken)
    {
        var blobIds = new long[Math.Min(BackfillChunk, missing.Count)];
        for (var start = 0; start < missing.Count; start += BackfillChunk)
        {
            var count = Math.Min(BackfillChunk, missing.Count - start);
            for (var i = 0; i < count; i++) blobIds[i] = missing[start + i].BlobId;
            var keys = await ComputeAndStoreSortKeysAsync(blobIds.AsMemory(0, count), cache: true, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                var index = missing[start + i].Index;
                var old = result[index];
                result[index] = old with { SentDate = keys[i].SentDate ?? old.InternalDate, Keys = keys[i] };
            }
        }
    }

    /// <summary>
    /// Computes and stores the sort keys of every blob that has none (after schema migration 5 emptied
    /// <c>sort_keys</c>, or blobs from before migration 3), <see cref="BackfillChunk"/> blobs per write transaction,
    /// so that the first SORT or THREAD of an upgraded mailbox does not have to (it would, for 100,000 messages, take
    /// minutes). The server runs it in the background at start; SORT stays correct meanwhile (it computes what it
    /// finds missing itself). Returns the number of blobs computed.
    /// </summary>
    public async Task<int> BackfillMissingSortKeysAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var blobIds = new List<long>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT b.id FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM sort_keys k WHERE k.blob_id = b.id) ORDER BY b.id";
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobIds.Add(reader.GetInt64(0));
            }
        }
        var chunk = new long[Math.Min(BackfillChunk, blobIds.Count)];
        for (var start = 0; start < blobIds.Count; start += BackfillChunk)
        {
            var count = Math.Min(BackfillChunk, blobIds.Count - start);
            blobIds.CopyTo(start, chunk, 0, count);
            await ComputeAndStoreSortKeysAsync(chunk.AsMemory(0, count), cache: false, cancellationToken);
            progress?.Report((start + count, blobIds.Count));
        }
        return blobIds.Count;
    }

    /// <summary>Computes the keys of <paramref name="blobIds"/> (distinct) from each cached envelope and the file's
    /// References field (in parallel), stores them (one write transaction, existing rows kept) and, when
    /// <paramref name="cache"/>, caches them (a SORT's misses; not the background backfill of a whole store). A blob
    /// released meanwhile gets <see cref="SortKeys.Empty"/>, not stored.</summary>
    private async Task<SortKeys[]> ComputeAndStoreSortKeysAsync(ReadOnlyMemory<long> blobIds, bool cache, CancellationToken cancellationToken)
    {
        var count = blobIds.Length;
        var structures = new byte[]?[count];
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT structure FROM blobs WHERE id = $id";
            var id = command.Parameters.Add("$id", SqliteType.Integer);
            for (var i = 0; i < count; i++)
            {
                id.Value = blobIds.Span[i];
                structures[i] = await command.ExecuteScalarAsync(cancellationToken) as byte[];
            }
        }
        var keys = new SortKeys[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (structures[i] is not { } structure)
            {
                keys[i] = SortKeys.Empty; // expunged meanwhile: the row is still answered from this snapshot
                return;
            }
            var envelope = MessageStructureSerializer.Deserialize(structure).Envelope;
            using var file = _blobs.OpenRead(blobIds.Span[i]);
            keys[i] = file is null ? SortKeys.FromEnvelope(envelope, null) : MessageAnalyzer.ReadSortKeys(file, envelope);
        });
        using (var scope = await BeginWriteAsync(cancellationToken))
        {
            using var insert = SortKeyRows.InsertCommand(scope);
            for (var i = 0; i < count; i++)
            {
                if (structures[i] is not null)
                {
                    await SortKeyRows.InsertAsync(insert, blobIds.Span[i], keys[i], cancellationToken);
                }
            }
            scope.Commit();
        }
        for (var i = 0; i < count; i++)
        {
            if (cache && structures[i] is not null) _sortKeyCache[blobIds.Span[i]] = keys[i];
        }
        return keys;
    }
}
