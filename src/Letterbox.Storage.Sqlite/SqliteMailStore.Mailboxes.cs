using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    private const string MailboxColumns = "id, user_id, name, uid_validity, uid_next, highest_modseq, special_use";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MailboxColumns} FROM mailboxes WHERE user_id = $user";
        command.Parameters.AddWithValue("$user", userId);
        var list = new List<MailboxInfo>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(ReadMailbox(reader));
            }
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <inheritdoc/>
    public async Task<MailboxInfo?> GetMailboxAsync(long userId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MailboxColumns} FROM mailboxes WHERE user_id = $user AND name = $name";
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMailbox(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<MailboxInfo?> GetMailboxByIdAsync(long mailboxId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MailboxColumns} FROM mailboxes WHERE id = $id";
        command.Parameters.AddWithValue("$id", mailboxId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMailbox(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<MailboxInfo> CreateMailboxAsync(long userId, string name, SpecialUse specialUse = SpecialUse.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, MailboxNames.Inbox, StringComparison.OrdinalIgnoreCase))
        {
            name = MailboxNames.Inbox;
        }
        MailboxNames.Validate(name);
        using var scope = await BeginWriteAsync(cancellationToken);
        await RequireUserAsync(scope, userId, cancellationToken);
        if (await FindMailboxAsync(scope, userId, name, cancellationToken) is not null)
        {
            throw new MailStoreException(MailStoreError.AlreadyExists, $"Mailbox '{name}' already exists.");
        }
        var mailbox = await CreateMailboxCoreAsync(scope, userId, name, specialUse, cancellationToken);
        scope.MailboxListChanged(userId);
        scope.Commit();
        return mailbox;
    }

    /// <inheritdoc/>
    /// <remarks>A mailbox with children is deleted anyway and its children stay (Dovecot behaviour); the name then
    /// appears in LIST only as a parent of its children.</remarks>
    public async Task DeleteMailboxAsync(long userId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, MailboxNames.Inbox, StringComparison.OrdinalIgnoreCase))
        {
            throw new MailStoreException(MailStoreError.Cannot, "INBOX cannot be deleted.");
        }
        List<long> deadBlobs;
        using (var scope = await BeginWriteAsync(cancellationToken))
        {
            var mailbox = await FindMailboxAsync(scope, userId, name, cancellationToken)
                ?? throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox '{name}' does not exist.");
            deadBlobs = await ReleaseBlobsAsync(scope, "mailbox_id = $owner", mailbox.Id, cancellationToken);
            using var delete = scope.Command("DELETE FROM mailboxes WHERE id = $id");
            delete.Parameters.AddWithValue("$id", mailbox.Id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            scope.MailboxDeleted(userId, mailbox.Id, mailbox.HighestModSeq);
            scope.MailboxListChanged(userId);
            scope.Commit();
        }
        DeleteBlobFiles(deadBlobs);
    }

    /// <inheritdoc/>
    /// <remarks>Subscriptions are not renamed (RFC 9051 §6.3.6 leaves them to the client).</remarks>
    public async Task RenameMailboxAsync(long userId, string oldName, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldName);
        ArgumentNullException.ThrowIfNull(newName);
        MailboxNames.Validate(newName);
        if (string.Equals(newName, MailboxNames.Inbox, StringComparison.OrdinalIgnoreCase))
        {
            throw new MailStoreException(MailStoreError.AlreadyExists, "INBOX already exists.");
        }
        using var scope = await BeginWriteAsync(cancellationToken);
        var source = await FindMailboxAsync(scope, userId, oldName, cancellationToken)
            ?? throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox '{oldName}' does not exist.");
        if (await FindMailboxAsync(scope, userId, newName, cancellationToken) is not null)
        {
            throw new MailStoreException(MailStoreError.AlreadyExists, $"Mailbox '{newName}' already exists.");
        }
        if (source.Name == MailboxNames.Inbox)
        {
            await RenameInboxAsync(scope, source, newName, cancellationToken);
        }
        else
        {
            await RenameTreeAsync(scope, source, newName, cancellationToken);
        }
        scope.MailboxListChanged(userId);
        scope.Commit();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> GetSubscriptionsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM subscriptions WHERE user_id = $user";
        command.Parameters.AddWithValue("$user", userId);
        var names = new List<string>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc/>
    public async Task SetSubscribedAsync(long userId, string name, bool subscribed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (subscribed)
        {
            MailboxNames.Validate(name);
        }
        using var scope = await BeginWriteAsync(cancellationToken);
        await RequireUserAsync(scope, userId, cancellationToken);
        await SetSubscribedCoreAsync(scope, userId, name, subscribed, cancellationToken);
        scope.MailboxListChanged(userId);
        scope.Commit();
    }

    /// <inheritdoc/>
    public async Task<MailboxStatus> GetStatusAsync(long mailboxId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var tx = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "SELECT uid_validity, uid_next, highest_modseq FROM mailboxes WHERE id = $id; " +
            "SELECT count(*), coalesce(sum((flags & 1) = 0), 0), coalesce(sum((flags & 8) <> 0), 0), coalesce(sum(size), 0), " +
            "coalesce(min(CASE WHEN (flags & 1) = 0 THEN uid END), 0) " +
            "FROM messages WHERE mailbox_id = $id";
        command.Parameters.AddWithValue("$id", mailboxId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox {mailboxId} does not exist.");
        }
        var uidValidity = (uint)reader.GetInt64(0);
        var uidNext = (uint)reader.GetInt64(1);
        var highest = (ulong)reader.GetInt64(2);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MailboxStatus(
            mailboxId,
            (uint)reader.GetInt64(0),
            (uint)reader.GetInt64(1),
            (uint)reader.GetInt64(2),
            uidValidity,
            uidNext,
            highest,
            reader.GetInt64(3))
        {
            FirstUnseenUid = (uint)reader.GetInt64(4),
        };
    }

    private static MailboxInfo ReadMailbox(SqliteDataReader reader)
        => new(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetString(2),
            (uint)reader.GetInt64(3),
            (uint)reader.GetInt64(4),
            (ulong)reader.GetInt64(5),
            (SpecialUse)reader.GetInt32(6));

    private static async Task<MailboxInfo?> FindMailboxAsync(WriteScope scope, long userId, string name, CancellationToken cancellationToken)
    {
        using var command = scope.Command($"SELECT {MailboxColumns} FROM mailboxes WHERE user_id = $user AND name = $name");
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMailbox(reader) : null;
    }

    private static async Task<MailboxInfo?> FindMailboxAsync(WriteScope scope, long mailboxId, CancellationToken cancellationToken)
    {
        using var command = scope.Command($"SELECT {MailboxColumns} FROM mailboxes WHERE id = $id");
        command.Parameters.AddWithValue("$id", mailboxId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMailbox(reader) : null;
    }

    private static async Task<MailboxInfo> RequireMailboxAsync(WriteScope scope, long mailboxId, CancellationToken cancellationToken)
        => await FindMailboxAsync(scope, mailboxId, cancellationToken)
            ?? throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox {mailboxId} does not exist.");

    private static async Task RequireUserAsync(WriteScope scope, long userId, CancellationToken cancellationToken)
    {
        using var command = scope.Command("SELECT 1 FROM users WHERE id = $id");
        command.Parameters.AddWithValue("$id", userId);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new MailStoreException(MailStoreError.NoSuchUser, $"User {userId} does not exist.");
        }
    }

    /// <summary>Inserts a mailbox with a new UIDVALIDITY, UIDNEXT 1 and HIGHESTMODSEQ 1.</summary>
    private async Task<MailboxInfo> CreateMailboxCoreAsync(WriteScope scope, long userId, string name, SpecialUse specialUse, CancellationToken cancellationToken)
    {
        var uidValidity = await NextUidValidityAsync(scope, cancellationToken);
        using var insert = scope.Command(
            "INSERT INTO mailboxes (user_id, name, uid_validity, uid_next, highest_modseq, special_use) " +
            "VALUES ($user, $name, $validity, 1, 1, $use) RETURNING id");
        insert.Parameters.AddWithValue("$user", userId);
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$validity", (long)uidValidity);
        insert.Parameters.AddWithValue("$use", (int)specialUse);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        scope.MailboxCreated(userId, id, 1);
        return new MailboxInfo(id, userId, name, uidValidity, 1, 1, specialUse);
    }

    /// <summary>
    /// A UIDVALIDITY for a new mailbox: the current time in seconds since the epoch, or one more than the last
    /// value handed out store-wide if that is larger, so values strictly increase and a mailbox recreated under
    /// the same name never reuses one (RFC 9051 §2.3.1.1).
    /// </summary>
    private async Task<uint> NextUidValidityAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        long last;
        using (var read = scope.Command("SELECT value FROM store_state WHERE key = 'last_uid_validity'"))
        {
            last = await read.ExecuteScalarAsync(cancellationToken) is long v ? v : 0;
        }
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var next = Math.Max(now, last + 1);
        if (next > uint.MaxValue)
        {
            next = 1; // Unreachable before 2106; wrapping keeps the value valid (non-zero).
        }
        using (var write = scope.Command(
            "INSERT INTO store_state (key, value) VALUES ('last_uid_validity', $v) " +
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
        {
            write.Parameters.AddWithValue("$v", next);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        return (uint)next;
    }

    private static async Task SetSubscribedCoreAsync(WriteScope scope, long userId, string name, bool subscribed, CancellationToken cancellationToken)
    {
        using var command = scope.Command(subscribed
            ? "INSERT OR IGNORE INTO subscriptions (user_id, name) VALUES ($user, $name)"
            : "DELETE FROM subscriptions WHERE user_id = $user AND name = $name");
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
