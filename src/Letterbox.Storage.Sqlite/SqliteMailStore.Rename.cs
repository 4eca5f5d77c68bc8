using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <summary>Renames <paramref name="source"/> and every mailbox under <c>source/</c>, keeping ids and
    /// UIDVALIDITY (RFC 9051 §6.3.6). Refuses a rename into its own subtree (Cannot) and any name clash
    /// (AlreadyExists).</summary>
    private static async Task RenameTreeAsync(WriteScope scope, MailboxInfo source, string newName, CancellationToken cancellationToken)
    {
        var prefix = source.Name + "/";
        if (newName.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new MailStoreException(MailStoreError.Cannot, $"Cannot rename '{source.Name}' into its own hierarchy.");
        }
        var renames = new List<(long Id, string Target)> { (source.Id, newName) };
        using (var children = scope.Command(
            "SELECT id, name FROM mailboxes WHERE user_id = $user AND substr(name, 1, length($prefix)) = $prefix"))
        {
            children.Parameters.AddWithValue("$user", source.UserId);
            children.Parameters.AddWithValue("$prefix", prefix);
            using var reader = await children.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                renames.Add((reader.GetInt64(0), newName + reader.GetString(1)[source.Name.Length..]));
            }
        }
        foreach (var (_, target) in renames)
        {
            if (!Letterbox.Mail.Mailboxes.MailboxName.IsValid(target, out _))
            {
                throw new MailStoreException(MailStoreError.InvalidName, $"'{target}' is not a valid mailbox name.");
            }
            if (await FindMailboxAsync(scope, source.UserId, target, cancellationToken) is not null)
            {
                throw new MailStoreException(MailStoreError.AlreadyExists, $"Mailbox '{target}' already exists.");
            }
        }
        using var update = scope.Command("UPDATE mailboxes SET name = $name WHERE id = $id");
        var name = update.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
        var id = update.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var (mailboxId, target) in renames)
        {
            name.Value = target;
            id.Value = mailboxId;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        // The ids stay; sessions with one of them selected learn that its name changed.
        scope.MailboxChanged(source.UserId, source.Id, source.HighestModSeq);
        for (var i = 1; i < renames.Count; i++)
        {
            scope.MailboxChanged(source.UserId, renames[i].Id, await HighestModSeqAsync(scope, renames[i].Id, cancellationToken));
        }
    }

    /// <summary>RENAME INBOX (RFC 9051 §6.3.6): creates <paramref name="newName"/> with a fresh UIDVALIDITY, moves
    /// every INBOX message into it keeping UIDs and MODSEQs, and records them as expunged from INBOX under a new
    /// MODSEQ so sessions that have INBOX selected learn of it. INBOX keeps its UIDVALIDITY and UIDNEXT.</summary>
    private async Task RenameInboxAsync(WriteScope scope, MailboxInfo inbox, string newName, CancellationToken cancellationToken)
    {
        var target = await CreateMailboxCoreAsync(scope, inbox.UserId, newName, SpecialUse.None, cancellationToken);
        var modSeq = (long)inbox.HighestModSeq + 1;
        using var move = scope.Command(
            "INSERT INTO expunged (mailbox_id, uid, modseq) SELECT mailbox_id, uid, $modseq FROM messages WHERE mailbox_id = $inbox; " +
            "UPDATE messages SET mailbox_id = $target WHERE mailbox_id = $inbox; " +
            "UPDATE mailboxes SET highest_modseq = $modseq WHERE id = $inbox; " +
            "UPDATE mailboxes SET uid_next = $uidNext, highest_modseq = $modseq WHERE id = $target;");
        move.Parameters.AddWithValue("$modseq", modSeq);
        move.Parameters.AddWithValue("$inbox", inbox.Id);
        move.Parameters.AddWithValue("$target", target.Id);
        move.Parameters.AddWithValue("$uidNext", (long)inbox.UidNext);
        await move.ExecuteNonQueryAsync(cancellationToken);
        scope.MailboxChanged(inbox.UserId, inbox.Id, (ulong)modSeq);
        scope.MailboxChanged(inbox.UserId, target.Id, (ulong)modSeq);
    }

    private static async Task<ulong> HighestModSeqAsync(WriteScope scope, long mailboxId, CancellationToken cancellationToken)
    {
        using var command = scope.Command("SELECT highest_modseq FROM mailboxes WHERE id = $id");
        command.Parameters.AddWithValue("$id", mailboxId);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? (ulong)value : 0;
    }
}
