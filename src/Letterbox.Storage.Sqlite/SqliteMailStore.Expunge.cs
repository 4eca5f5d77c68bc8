using Letterbox.Mail.Messages;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>Expunged UIDs are recorded with the expunge's MODSEQ in the change feed (kept until the mailbox is
    /// deleted); blob files whose last message went are deleted after the commit.</remarks>
    public async Task<IReadOnlyList<uint>> ExpungeAsync(long mailboxId, IReadOnlyList<uint>? uids = null, CancellationToken cancellationToken = default)
    {
        var wanted = uids is null ? null : SortedDistinct(uids);
        if (wanted is { Count: 0 })
        {
            return [];
        }
        List<uint> expunged;
        List<long> deadBlobs;
        using (var scope = await BeginWriteAsync(cancellationToken))
        {
            (expunged, deadBlobs) = await ExpungeCoreAsync(scope, mailboxId, wanted, requireDeleted: true, cancellationToken);
            scope.Commit();
        }
        DeleteBlobFiles(deadBlobs);
        return expunged;
    }

    /// <summary>Expunges messages of <paramref name="mailboxId"/> (those among <paramref name="wanted"/> when given,
    /// only those with \Deleted when <paramref name="requireDeleted"/>) under one new MODSEQ.</summary>
    private static async Task<(List<uint> Uids, List<long> DeadBlobs)> ExpungeCoreAsync(
        WriteScope scope, long mailboxId, IReadOnlyList<uint>? wanted, bool requireDeleted, CancellationToken cancellationToken)
    {
        var mailbox = await RequireMailboxAsync(scope, mailboxId, cancellationToken);
        var uids = new List<uint>();
        using (var select = scope.Command(
            "SELECT uid FROM messages WHERE mailbox_id = $id AND uid BETWEEN $low AND $high" +
            (requireDeleted ? " AND (flags & 8) <> 0" : "") + " ORDER BY uid"))
        {
            select.Parameters.AddWithValue("$id", mailboxId);
            select.Parameters.AddWithValue("$low", wanted is null ? 0L : wanted[0]);
            select.Parameters.AddWithValue("$high", wanted is null ? (long)uint.MaxValue : wanted[^1]);
            using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var next = 0;
            while (reader.Read())
            {
                var uid = (uint)reader.GetInt64(0);
                if (wanted is not null)
                {
                    while (next < wanted.Count && wanted[next] < uid)
                    {
                        next++;
                    }
                    if (next == wanted.Count)
                    {
                        break;
                    }
                    if (wanted[next] != uid)
                    {
                        continue;
                    }
                }
                uids.Add(uid);
            }
        }
        if (uids.Count == 0)
        {
            return (uids, []);
        }
        var modSeq = mailbox.HighestModSeq + 1;
        using (var clear = scope.Command("DELETE FROM temp.selected_uids"))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        using (var insert = scope.Command("INSERT INTO temp.selected_uids (uid) VALUES ($uid)"))
        {
            var uidParameter = insert.Parameters.Add("$uid", SqliteType.Integer);
            foreach (var uid in uids)
            {
                uidParameter.Value = (long)uid;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        using (var record = scope.Command(
            "INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) SELECT $id, uid, $modseq FROM temp.selected_uids"))
        {
            record.Parameters.AddWithValue("$id", mailboxId);
            record.Parameters.AddWithValue("$modseq", (long)modSeq);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        var dead = await ReleaseBlobsAsync(scope, "mailbox_id = $owner AND uid IN (SELECT uid FROM temp.selected_uids)", mailboxId, cancellationToken);
        await SetHighestModSeqAsync(scope, mailboxId, modSeq, cancellationToken);
        scope.MailboxChanged(mailbox.UserId, mailboxId, modSeq);
        return (uids, dead);
    }
}
