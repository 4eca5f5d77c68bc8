using Letterbox.Mail.Messages;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>All messages changed by one call share one new MODSEQ (RFC 7162 §3.1 allows this); a call that
    /// changes nothing does not advance HIGHESTMODSEQ. A message whose MODSEQ exceeds
    /// <paramref name="unchangedSince"/> is left alone and reported in <see cref="StoreFlagsResult.Modified"/>
    /// (RFC 7162 §3.1.3), whether or not the store would have changed it.</remarks>
    public async Task<StoreFlagsResult> StoreFlagsAsync(long mailboxId, IReadOnlyList<uint> uids, FlagOperation operation, MessageFlags flags, IReadOnlyList<string> keywords, ulong? unchangedSince = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(keywords);
        _ = Keywords.Encode(keywords); // validates before any change
        using var scope = await BeginWriteAsync(cancellationToken);
        var mailbox = await RequireMailboxAsync(scope, mailboxId, cancellationToken);
        if (uids.Count == 0)
        {
            return new StoreFlagsResult([], []);
        }
        var wanted = SortedDistinct(uids);
        var modSeq = mailbox.HighestModSeq + 1;
        var changed = new List<MessageFlagState>();
        var changedKeywords = new List<string?>();
        var modified = new List<uint>();
        using (var select = scope.Command(
            "SELECT uid, flags, keywords, modseq FROM messages WHERE mailbox_id = $id AND uid BETWEEN $low AND $high ORDER BY uid"))
        {
            select.Parameters.AddWithValue("$id", mailboxId);
            await WantedRows.ReadAsync(select, wanted, (reader, uid) =>
            {
                if (unchangedSince is { } limit && (ulong)reader.GetInt64(3) > limit)
                {
                    modified.Add(uid);
                    return;
                }
                var oldFlags = (MessageFlags)reader.GetInt32(1);
                var oldKeywords = reader.IsDBNull(2) ? null : reader.GetString(2);
                var (newFlags, newKeywords) = Keywords.Apply(oldFlags, oldKeywords, operation, flags, keywords);
                if (newFlags == oldFlags && string.Equals(newKeywords, oldKeywords, StringComparison.Ordinal))
                {
                    return;
                }
                changed.Add(new MessageFlagState(uid, newFlags, Keywords.Decode(newKeywords), modSeq));
                changedKeywords.Add(newKeywords);
            }, cancellationToken);
        }
        if (changed.Count > 0)
        {
            using var update = scope.Command(
                "UPDATE messages SET flags = $flags, keywords = $keywords, modseq = $modseq WHERE mailbox_id = $id AND uid = $uid");
            update.Parameters.AddWithValue("$id", mailboxId);
            update.Parameters.AddWithValue("$modseq", (long)modSeq);
            var flagsParameter = update.Parameters.Add("$flags", SqliteType.Integer);
            var keywordsParameter = update.Parameters.Add("$keywords", SqliteType.Text);
            var uidParameter = update.Parameters.Add("$uid", SqliteType.Integer);
            for (var i = 0; i < changed.Count; i++)
            {
                flagsParameter.Value = (int)changed[i].Flags;
                keywordsParameter.Value = (object?)changedKeywords[i] ?? DBNull.Value;
                uidParameter.Value = (long)changed[i].Uid;
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await SetHighestModSeqAsync(scope, mailboxId, modSeq, cancellationToken);
            scope.MailboxChanged(mailbox.UserId, mailboxId, modSeq);
        }
        scope.Commit();
        return new StoreFlagsResult(changed, modified);
    }

    private static async Task SetHighestModSeqAsync(WriteScope scope, long mailboxId, ulong modSeq, CancellationToken cancellationToken)
    {
        using var command = scope.Command("UPDATE mailboxes SET highest_modseq = $modseq WHERE id = $id");
        command.Parameters.AddWithValue("$modseq", (long)modSeq);
        command.Parameters.AddWithValue("$id", mailboxId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
