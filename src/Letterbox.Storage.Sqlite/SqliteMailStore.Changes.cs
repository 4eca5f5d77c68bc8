using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <summary>The read behind <see cref="GetChangesAsync"/> (which shares one read among concurrent callers).</summary>
    /// <remarks>
    /// Read in one snapshot. <see cref="MailboxChanges.Appended"/>: messages created (APPEND, COPY, MOVE in) with a
    /// MODSEQ greater than <paramref name="sinceModSeq"/> (the <c>append_modseq</c> column);
    /// <see cref="MailboxChanges.FlagChanges"/>: other messages whose MODSEQ is greater;
    /// <see cref="MailboxChanges.Expunged"/>: UIDs expunged with a greater MODSEQ — this includes messages appended
    /// and expunged inside the window, which the caller has never seen and should ignore (or report in VANISHED,
    /// RFC 7162 §3.2.10 allows it). Expunge records are kept until the mailbox is deleted.
    /// </remarks>
    private async Task<MailboxChanges> ReadChangesAsync(long mailboxId, ulong sinceModSeq, CancellationToken cancellationToken)
    {
        var since = sinceModSeq > long.MaxValue ? long.MaxValue : (long)sinceModSeq;
        await using var connection = await OpenReadAsync(cancellationToken);
        using var tx = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "SELECT highest_modseq, uid_next FROM mailboxes WHERE id = $id; " +
            "SELECT uid, flags, keywords, modseq, append_modseq FROM messages WHERE mailbox_id = $id AND modseq > $since ORDER BY uid; " +
            "SELECT uid FROM expunged WHERE mailbox_id = $id AND modseq > $since ORDER BY uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        command.Parameters.AddWithValue("$since", since);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox {mailboxId} does not exist.");
        }
        var highest = (ulong)reader.GetInt64(0);
        var uidNext = (uint)reader.GetInt64(1);
        await reader.NextResultAsync(cancellationToken);
        var appended = new List<uint>();
        var flagChanges = new List<MessageFlagState>();
        while (reader.Read())
        {
            var uid = (uint)reader.GetInt64(0);
            if (reader.GetInt64(4) > since)
            {
                appended.Add(uid);
            }
            else
            {
                flagChanges.Add(new MessageFlagState(
                    uid,
                    (MessageFlags)reader.GetInt32(1),
                    reader.IsDBNull(2) ? Keywords.Empty : Keywords.Decode(reader.GetString(2)),
                    (ulong)reader.GetInt64(3)));
            }
        }
        await reader.NextResultAsync(cancellationToken);
        var expunged = new List<uint>();
        while (reader.Read())
        {
            expunged.Add((uint)reader.GetInt64(0));
        }
        return new MailboxChanges(highest, uidNext, appended, flagChanges, expunged);
    }
}
