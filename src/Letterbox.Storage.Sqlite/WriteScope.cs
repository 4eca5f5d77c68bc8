using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>An open write transaction holding the store's write lock. Commands made here are enlisted in the
/// transaction. Changes noted with <see cref="MailboxChanged"/>/<see cref="MailboxListChanged"/> are raised on the
/// store's change feed once the transaction has committed and the lock is released; a rolled-back transaction raises
/// nothing. Disposing rolls back an uncommitted transaction and releases the lock.</summary>
internal sealed class WriteScope(SqliteMailStore store, SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim writeLock) : IDisposable
{
    private bool _disposed;
    private bool _committed;
    private List<FeedChange>? _changes;

    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>Creates a command in the transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Notes that the transaction changes the mailbox (raised after the commit).</summary>
    public void MailboxChanged(long userId, long mailboxId, ulong highestModSeq)
        => (_changes ??= []).Add(new FeedChange(userId, mailboxId, highestModSeq));

    /// <summary>Notes that the transaction changes the user's mailbox list or subscriptions (raised after the commit).</summary>
    public void MailboxListChanged(long userId) => (_changes ??= []).Add(new FeedChange(userId, 0, 0));

    /// <summary>Commits: the durability point of the operation.</summary>
    public void Commit()
    {
        Transaction.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Transaction.Dispose();
        }
        finally
        {
            writeLock.Release();
        }
        if (_committed && _changes is not null)
        {
            store.RaiseCommitted(_changes);
        }
    }
}

/// <summary>A committed change for the feed: <see cref="MailboxId"/> 0 means the user's mailbox list changed.</summary>
internal readonly record struct FeedChange(long UserId, long MailboxId, ulong HighestModSeq);
