using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>New message rows point at the same blob (its reference count goes up); no bytes are copied.
    /// Flags, keywords and INTERNALDATE are kept (RFC 9051 §6.4.7); the copies get new UIDs in source UID order
    /// and one new MODSEQ of the destination. UIDs not in the source are skipped.</remarks>
    public async Task<CopyResult> CopyAsync(long sourceMailboxId, IReadOnlyList<uint> uids, long destinationMailboxId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        using var scope = await BeginWriteAsync(cancellationToken);
        var result = await CopyCoreAsync(scope, sourceMailboxId, uids, destinationMailboxId, cancellationToken);
        scope.Commit();
        return result;
    }

    /// <inheritdoc/>
    /// <remarks>Copy and expunge in one transaction: after a crash either both happened or neither. The source
    /// gets one new MODSEQ for the expunge, the destination one for the copies.</remarks>
    public async Task<CopyResult> MoveAsync(long sourceMailboxId, IReadOnlyList<uint> uids, long destinationMailboxId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        CopyResult result;
        List<long> deadBlobs;
        using (var scope = await BeginWriteAsync(cancellationToken))
        {
            result = await CopyCoreAsync(scope, sourceMailboxId, uids, destinationMailboxId, cancellationToken);
            if (result.SourceUids.Count == 0)
            {
                scope.Commit();
                return result;
            }
            (_, deadBlobs) = await ExpungeCoreAsync(scope, sourceMailboxId, result.SourceUids, requireDeleted: false, cancellationToken);
            scope.Commit();
        }
        DeleteBlobFiles(deadBlobs);
        return result;
    }

    private static async Task<CopyResult> CopyCoreAsync(WriteScope scope, long sourceMailboxId, IReadOnlyList<uint> uids, long destinationMailboxId, CancellationToken cancellationToken)
    {
        _ = await RequireMailboxAsync(scope, sourceMailboxId, cancellationToken);
        var destination = await RequireMailboxAsync(scope, destinationMailboxId, cancellationToken);
        if (uids.Count == 0)
        {
            return new CopyResult(destination.UidValidity, [], []);
        }
        var wanted = SortedDistinct(uids);
        var rows = new List<CopyRow>();
        using (var select = scope.Command(
            "SELECT uid, blob_id, flags, keywords, internal_date, internal_date_offset, size FROM messages " +
            "WHERE mailbox_id = $id AND uid BETWEEN $low AND $high ORDER BY uid"))
        {
            select.Parameters.AddWithValue("$id", sourceMailboxId);
            await WantedRows.ReadAsync(select, wanted, (reader, uid) => rows.Add(new CopyRow(
                uid, reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6))), cancellationToken);
        }
        if (rows.Count == 0)
        {
            return new CopyResult(destination.UidValidity, [], []);
        }
        if ((ulong)destination.UidNext + (ulong)rows.Count > uint.MaxValue)
        {
            throw new MailStoreException(MailStoreError.Limit, "The destination mailbox has run out of UIDs; recreate it.");
        }
        var modSeq = (long)destination.HighestModSeq + 1;
        var sourceUids = new uint[rows.Count];
        var destinationUids = new uint[rows.Count];
        using var insert = scope.Command(
            "INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, modseq, append_modseq, internal_date, internal_date_offset, size) " +
            "VALUES ($mailbox, $uid, $blob, $flags, $keywords, $modseq, $modseq, $date, $offset, $size); " +
            "UPDATE blobs SET ref_count = ref_count + 1 WHERE id = $blob;");
        insert.Parameters.AddWithValue("$mailbox", destinationMailboxId);
        insert.Parameters.AddWithValue("$modseq", modSeq);
        var uidParameter = insert.Parameters.Add("$uid", SqliteType.Integer);
        var blob = insert.Parameters.Add("$blob", SqliteType.Integer);
        var flags = insert.Parameters.Add("$flags", SqliteType.Integer);
        var keywords = insert.Parameters.Add("$keywords", SqliteType.Text);
        var date = insert.Parameters.Add("$date", SqliteType.Integer);
        var offset = insert.Parameters.Add("$offset", SqliteType.Integer);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            sourceUids[i] = row.Uid;
            destinationUids[i] = destination.UidNext + (uint)i;
            uidParameter.Value = (long)destinationUids[i];
            blob.Value = row.BlobId;
            flags.Value = row.Flags;
            keywords.Value = (object?)row.Keywords ?? DBNull.Value;
            date.Value = row.InternalDate;
            offset.Value = row.Offset;
            size.Value = row.Size;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        using var advance = scope.Command("UPDATE mailboxes SET uid_next = $next, highest_modseq = $modseq WHERE id = $id");
        advance.Parameters.AddWithValue("$next", (long)destination.UidNext + rows.Count);
        advance.Parameters.AddWithValue("$modseq", modSeq);
        advance.Parameters.AddWithValue("$id", destinationMailboxId);
        await advance.ExecuteNonQueryAsync(cancellationToken);
        scope.MailboxChanged(destination.UserId, destinationMailboxId, (ulong)modSeq);
        return new CopyResult(destination.UidValidity, sourceUids, destinationUids);
    }

    private readonly record struct CopyRow(uint Uid, long BlobId, int Flags, string? Keywords, long InternalDate, int Offset, long Size);
}
