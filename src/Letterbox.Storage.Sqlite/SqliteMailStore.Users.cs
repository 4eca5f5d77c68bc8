using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Store;
using Letterbox.Mail.Users;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    private static readonly (string Name, SpecialUse Use)[] DefaultMailboxes =
    [
        (MailboxNames.Inbox, SpecialUse.None),
        ("Drafts", SpecialUse.Drafts),
        ("Sent", SpecialUse.Sent),
        ("Trash", SpecialUse.Trash),
        ("Junk", SpecialUse.Junk),
        ("Archive", SpecialUse.Archive),
    ];

    /// <inheritdoc/>
    public async Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, password_hash, scram_sha256 FROM users WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, password_hash, scram_sha256 FROM users ORDER BY name";
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(reader));
        }
        return users;
    }

    /// <inheritdoc/>
    public async Task<UserRecord> AddUserAsync(string name, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwordHash);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255)
        {
            throw new MailStoreException(MailStoreError.InvalidName, $"'{name}' is not a valid user name (1 to 255 characters).");
        }
        using var scope = await BeginWriteAsync(cancellationToken);
        using (var exists = scope.Command("SELECT 1 FROM users WHERE name = $name"))
        {
            exists.Parameters.AddWithValue("$name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                throw new MailStoreException(MailStoreError.UserExists, $"User '{name}' already exists.");
            }
        }
        long id;
        using (var insert = scope.Command("INSERT INTO users (name, password_hash) VALUES ($name, $hash) RETURNING id"))
        {
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$hash", passwordHash);
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        foreach (var (mailbox, use) in DefaultMailboxes)
        {
            await CreateMailboxCoreAsync(scope, id, mailbox, use, cancellationToken);
            await SetSubscribedCoreAsync(scope, id, mailbox, true, cancellationToken);
        }
        scope.MailboxListChanged(id);
        scope.Commit();
        return new UserRecord(id, name, passwordHash);
    }

    /// <inheritdoc/>
    public async Task SetPasswordHashAsync(long userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwordHash);
        using var scope = await BeginWriteAsync(cancellationToken);
        using var update = scope.Command("UPDATE users SET password_hash = $hash, scram_sha256 = NULL WHERE id = $id");
        update.Parameters.AddWithValue("$hash", passwordHash);
        update.Parameters.AddWithValue("$id", userId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new MailStoreException(MailStoreError.NoSuchUser, $"User {userId} does not exist.");
        }
        scope.Commit();
    }

    /// <inheritdoc/>
    public async Task SetScramSecretAsync(long userId, string? scramSecret, CancellationToken cancellationToken = default)
    {
        using var scope = await BeginWriteAsync(cancellationToken);
        using var update = scope.Command("UPDATE users SET scram_sha256 = $scram WHERE id = $id");
        update.Parameters.AddWithValue("$scram", (object?)scramSecret ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", userId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new MailStoreException(MailStoreError.NoSuchUser, $"User {userId} does not exist.");
        }
        scope.Commit();
    }

    /// <inheritdoc/>
    public async Task DeleteUserAsync(long userId, CancellationToken cancellationToken = default)
    {
        List<long> deadBlobs;
        using (var scope = await BeginWriteAsync(cancellationToken))
        {
            using (var mailboxes = scope.Command("SELECT id, highest_modseq FROM mailboxes WHERE user_id = $user"))
            {
                mailboxes.Parameters.AddWithValue("$user", userId);
                using var reader = await mailboxes.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    scope.MailboxDeleted(userId, reader.GetInt64(0), (ulong)reader.GetInt64(1));
                }
            }
            scope.MailboxListChanged(userId);
            deadBlobs = await ReleaseBlobsAsync(scope, "mailbox_id IN (SELECT id FROM mailboxes WHERE user_id = $owner)", userId, cancellationToken);
            using var delete = scope.Command("DELETE FROM users WHERE id = $id");
            delete.Parameters.AddWithValue("$id", userId);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new MailStoreException(MailStoreError.NoSuchUser, $"User {userId} does not exist.");
            }
            scope.Commit();
        }
        DeleteBlobFiles(deadBlobs);
    }

    private static UserRecord ReadUser(SqliteDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
}
