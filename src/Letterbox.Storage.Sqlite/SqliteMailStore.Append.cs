using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// Each staged message is analyzed (MIME structure cached for FETCH) before the write lock is taken, then
    /// renamed from <c>tmp/</c> into <c>blobs/</c> and the directory fsynced; one transaction then inserts the blob
    /// and message rows with UIDs from UIDNEXT and one new MODSEQ, and advances UIDNEXT/HIGHESTMODSEQ. The commit
    /// is the durability point: a crash before it leaves at most an orphan blob file, never a visible message.
    /// On failure the files are moved back to <c>tmp/</c>, so the staged messages stay usable.
    /// A staged message is consumed by a successful append; appending it again throws
    /// <see cref="InvalidOperationException"/> — to deliver one message to several mailboxes, append once and
    /// <see cref="CopyAsync"/> (which shares the bytes).
    /// </remarks>
    public async Task<AppendResult> AppendAsync(long mailboxId, IReadOnlyList<AppendRequest> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var count = messages.Count;
        var staged = new StagedMessage[count];
        var structures = new byte[count][];
        var sortKeys = new SortKeys[count];
        var searchDocuments = new Letterbox.Mail.Search.SearchDocument?[count];
        var keywords = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var request = messages[i];
            var message = request.Message as StagedMessage
                ?? throw new ArgumentException("The staged message was not created by this store.", nameof(messages));
            if (message.IsConsumed)
            {
                throw new InvalidOperationException("The staged message was already appended.");
            }
            for (var j = 0; j < i; j++)
            {
                if (ReferenceEquals(staged[j], message))
                {
                    throw new ArgumentException("The same staged message appears twice.", nameof(messages));
                }
            }
            staged[i] = message;
            keywords[i] = Keywords.Encode(request.Keywords);
        }
        // Parse each message once (MimeKit) for the structure cache; a batch (import, MULTIAPPEND) uses every core.
        if (count == 1)
        {
            (structures[0], sortKeys[0], searchDocuments[0]) = Analyze(staged[0]);
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => (structures[i], sortKeys[i], searchDocuments[i]) = Analyze(staged[i]));
        }

        var blobIds = new long[count];
        var moved = 0;
        try
        {
            // One directory per batch: the renames below then need one directory fsync, not one per message
            // (256 fsyncs dominated bulk import).
            var shard = (byte)Random.Shared.Next(256);
            for (; moved < count; moved++)
            {
                blobIds[moved] = BlobFiles.NewBlobId(shard);
                File.Move(staged[moved].Path, _blobs.PathOf(blobIds[moved]));
            }
            SyncBlobDirectories(blobIds);

            var uids = new uint[count];
            uint uidValidity;
            using (var scope = await BeginWriteAsync(cancellationToken))
            {
                var mailbox = await RequireMailboxAsync(scope, mailboxId, cancellationToken);
                if ((ulong)mailbox.UidNext + (ulong)count > uint.MaxValue)
                {
                    throw new MailStoreException(MailStoreError.Limit, "The mailbox has run out of UIDs; recreate it.");
                }
                uidValidity = mailbox.UidValidity;
                var modSeq = (long)mailbox.HighestModSeq + 1;
                var now = Now();
                using var blob = scope.Command("INSERT INTO blobs (id, size, structure, ref_count) VALUES ($id, $size, $structure, 1)");
                var blobId = blob.Parameters.Add("$id", SqliteType.Integer);
                var blobSize = blob.Parameters.Add("$size", SqliteType.Integer);
                var blobStructure = blob.Parameters.Add("$structure", SqliteType.Blob);
                using var keys = SortKeyRows.InsertCommand(scope);
                using var row = scope.Command(
                    "INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, modseq, append_modseq, internal_date, internal_date_offset, size) " +
                    "VALUES ($mailbox, $uid, $blob, $flags, $keywords, $modseq, $modseq, $date, $offset, $size)");
                row.Parameters.AddWithValue("$mailbox", mailboxId);
                row.Parameters.AddWithValue("$modseq", modSeq);
                var uid = row.Parameters.Add("$uid", SqliteType.Integer);
                var rowBlob = row.Parameters.Add("$blob", SqliteType.Integer);
                var flags = row.Parameters.Add("$flags", SqliteType.Integer);
                var rowKeywords = row.Parameters.Add("$keywords", SqliteType.Text);
                var date = row.Parameters.Add("$date", SqliteType.Integer);
                var offset = row.Parameters.Add("$offset", SqliteType.Integer);
                var size = row.Parameters.Add("$size", SqliteType.Integer);
                using var searchText = new SearchTextWriter(scope);
                for (var i = 0; i < count; i++)
                {
                    uids[i] = mailbox.UidNext + (uint)i;
                    blobId.Value = blobIds[i];
                    blobSize.Value = staged[i].Length;
                    blobStructure.Value = structures[i];
                    await blob.ExecuteNonQueryAsync(cancellationToken);
                    await SortKeyRows.InsertAsync(keys, blobIds[i], sortKeys[i], cancellationToken);
                    await searchText.WriteAsync(blobIds[i], searchDocuments[i], replace: false, cancellationToken);

                    var internalDate = messages[i].InternalDate ?? now;
                    uid.Value = (long)uids[i];
                    rowBlob.Value = blobIds[i];
                    flags.Value = (int)messages[i].Flags;
                    rowKeywords.Value = (object?)keywords[i] ?? DBNull.Value;
                    date.Value = internalDate.ToUnixTimeSeconds();
                    offset.Value = (int)internalDate.Offset.TotalMinutes;
                    size.Value = staged[i].Length;
                    await row.ExecuteNonQueryAsync(cancellationToken);
                }
                using var advance = scope.Command("UPDATE mailboxes SET uid_next = $next, highest_modseq = $modseq WHERE id = $id");
                advance.Parameters.AddWithValue("$next", (long)mailbox.UidNext + count);
                advance.Parameters.AddWithValue("$modseq", modSeq);
                advance.Parameters.AddWithValue("$id", mailboxId);
                await advance.ExecuteNonQueryAsync(cancellationToken);
                scope.MailboxChanged(mailbox.UserId, mailboxId, (ulong)modSeq);
                scope.Commit();
            }
            for (var i = 0; i < count; i++)
            {
                staged[i].IsConsumed = true;
            }
            return new AppendResult(uidValidity, uids);
        }
        catch
        {
            for (var i = 0; i < moved; i++)
            {
                try
                {
                    File.Move(_blobs.PathOf(blobIds[i]), staged[i].Path);
                }
                catch (IOException)
                {
                    // Leaves an orphan blob file: wasted space, never a visible message.
                }
            }
            throw;
        }
    }

    /// <summary>Parses once: the serialized structure, the sort keys and the search text (docs/storage.md).</summary>
    private static (byte[] Structure, SortKeys Keys, Letterbox.Mail.Search.SearchDocument? SearchText) Analyze(StagedMessage message)
    {
        using var file = new FileStream(message.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.SequentialScan);
        var analysis = MessageAnalyzer.AnalyzeWithSortKeys(file);
        return (MessageStructureSerializer.Serialize(analysis.Structure), analysis.SortKeys, analysis.SearchText);
    }

    private void SyncBlobDirectories(long[] blobIds)
    {
        var synced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in blobIds)
        {
            var directory = _blobs.DirectoryOf(id);
            if (synced.Add(directory))
            {
                BlobFiles.SyncDirectory(directory);
            }
        }
    }
}
