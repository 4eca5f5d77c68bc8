using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// One query over <c>messages</c> (primary key walk per run of UIDs, <see cref="WantedRows"/>) joined to
    /// <c>sort_keys</c> by blob id, reading only the columns <paramref name="fields"/> asks for. Blobs stored before
    /// schema migration 3 have no keys: they are computed from the cached envelope plus the References field of the
    /// message file's header (in parallel), inserted in one write transaction, and returned — so the first SORT of
    /// an old mailbox pays once and later ones read the table.
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
        List<(int Index, long BlobId)>? missing = null;
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = SortKeysQuery(fields);
            command.Parameters.AddWithValue("$id", mailboxId);
            await WantedRows.ReadAsync(command, wanted, (reader, uid) =>
            {
                var internalDate = reader.GetInt64(1);
                var size = reader.GetInt64(2);
                if (reader.IsDBNull(3))
                {
                    (missing ??= []).Add((result.Count, reader.GetInt64(4)));
                    result.Add(new SortableMessage(uid, internalDate, size, internalDate, SortKeys.Empty));
                    return;
                }
                long? sent = reader.IsDBNull(5) ? null : reader.GetInt64(5);
                result.Add(new SortableMessage(uid, internalDate, size, sent ?? internalDate, fields == SortFields.None ? SortKeys.Empty : ReadKeys(reader, fields, sent)));
            }, cancellationToken);
        }
        if (missing is not null)
        {
            await BackfillSortKeysAsync(result, missing, cancellationToken);
        }
        return result;
    }

    /// <summary>Columns: 0 uid, 1 internal_date, 2 size, 3 k.blob_id (NULL: no keys yet), 4 m.blob_id, 5 sent_date,
    /// then per field group: subject, reply | from_key, to_key, cc_key | display_from, display_to | message_id, refs.</summary>
    private static string SortKeysQuery(SortFields fields)
    {
        var sql = new StringBuilder("SELECT m.uid, m.internal_date, m.size, k.blob_id, m.blob_id, k.sent_date");
        if ((fields & SortFields.Subject) != 0) sql.Append(", k.subject, k.reply");
        if ((fields & SortFields.Addresses) != 0) sql.Append(", k.from_key, k.to_key, k.cc_key");
        if ((fields & SortFields.Display) != 0) sql.Append(", k.display_from, k.display_to");
        if ((fields & SortFields.Threading) != 0) sql.Append(", k.message_id, k.refs");
        sql.Append(" FROM messages m LEFT JOIN sort_keys k ON k.blob_id = m.blob_id " +
                   "WHERE m.mailbox_id = $id AND m.uid BETWEEN $low AND $high ORDER BY m.uid");
        return sql.ToString();
    }

    private static SortKeys ReadKeys(SqliteDataReader reader, SortFields fields, long? sentDate)
    {
        var column = 6;
        string subject = string.Empty, from = string.Empty, to = string.Empty, cc = string.Empty, displayFrom = string.Empty, displayTo = string.Empty;
        var reply = false;
        string? messageId = null;
        IReadOnlyList<string> references = [];
        if ((fields & SortFields.Subject) != 0)
        {
            subject = reader.GetString(column++);
            reply = reader.GetInt64(column++) != 0;
        }
        if ((fields & SortFields.Addresses) != 0)
        {
            from = reader.GetString(column++);
            to = reader.GetString(column++);
            cc = reader.GetString(column++);
        }
        if ((fields & SortFields.Display) != 0)
        {
            displayFrom = reader.GetString(column++);
            displayTo = reader.GetString(column++);
        }
        if ((fields & SortFields.Threading) != 0)
        {
            messageId = reader.IsDBNull(column) ? null : reader.GetString(column);
            column++;
            references = reader.IsDBNull(column) ? [] : reader.GetString(column).Split(' ');
        }
        return new SortKeys(sentDate, subject, reply, from, to, cc, displayFrom, displayTo, messageId, references);
    }

    /// <summary>Blobs backfilled per read/compute/write round (bounds memory and write-lock hold time).</summary>
    private const int BackfillChunk = 2048;

    /// <summary>Computes, stores and fills in the keys of blobs that have none (stored before migration 3).</summary>
    private async Task BackfillSortKeysAsync(List<SortableMessage> result, List<(int Index, long BlobId)> missing, CancellationToken cancellationToken)
    {
        for (var start = 0; start < missing.Count; start += BackfillChunk)
        {
            var count = Math.Min(BackfillChunk, missing.Count - start);
            var structures = new byte[]?[count];
            await using (var connection = await OpenReadAsync(cancellationToken))
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT structure FROM blobs WHERE id = $id";
                var id = command.Parameters.Add("$id", SqliteType.Integer);
                for (var i = 0; i < count; i++)
                {
                    id.Value = missing[start + i].BlobId;
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
                using var file = _blobs.OpenRead(missing[start + i].BlobId);
                keys[i] = file is null ? SortKeys.FromEnvelope(envelope, null) : MessageAnalyzer.ReadSortKeys(file, envelope);
            });
            using (var scope = await BeginWriteAsync(cancellationToken))
            {
                using var insert = SortKeyRows.InsertCommand(scope);
                for (var i = 0; i < count; i++)
                {
                    if (structures[i] is not null)
                    {
                        await SortKeyRows.InsertAsync(insert, missing[start + i].BlobId, keys[i], cancellationToken);
                    }
                }
                scope.Commit();
            }
            for (var i = 0; i < count; i++)
            {
                var index = missing[start + i].Index;
                var old = result[index];
                result[index] = old with { SentDate = keys[i].SentDate ?? old.InternalDate, Keys = keys[i] };
            }
        }
    }
}
