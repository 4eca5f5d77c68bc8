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
        => Note(new FeedChange(FeedChangeKind.Changed, userId, mailboxId, highestModSeq));

    /// <summary>Notes that the transaction creates the mailbox (recorded for the foreign-commit watcher, not raised:
    /// the creator also notes <see cref="MailboxListChanged"/>).</summary>
    public void MailboxCreated(long userId, long mailboxId, ulong highestModSeq)
        => Note(new FeedChange(FeedChangeKind.Created, userId, mailboxId, highestModSeq));

    /// <summary>Notes that the transaction deletes the mailbox (raised as a change of it after the commit).</summary>
    public void MailboxDeleted(long userId, long mailboxId, ulong highestModSeq)
        => Note(new FeedChange(FeedChangeKind.Deleted, userId, mailboxId, highestModSeq));

    /// <summary>Notes that the transaction changes the user's mailbox list or subscriptions (raised after the commit).</summary>
    public void MailboxListChanged(long userId) => Note(new FeedChange(FeedChangeKind.ListChanged, userId, 0, 0));

    private void Note(FeedChange change) => (_changes ??= []).Add(change);

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

/// <summary>A committed change for the feed (<see cref="MailboxId"/> is 0 for <see cref="FeedChangeKind.ListChanged"/>).</summary>
internal readonly record struct FeedChange(FeedChangeKind Kind, long UserId, long MailboxId, ulong HighestModSeq);

/// <summary>What a <see cref="FeedChange"/> is.</summary>
internal enum FeedChangeKind
{
    /// <summary>The mailbox changed: raised as MailboxChanged.</summary>
    Changed,
    /// <summary>The mailbox was created: only recorded (its list change is raised separately).</summary>
    Created,
    /// <summary>The mailbox was deleted: raised as MailboxChanged, forgotten by the foreign-commit watcher.</summary>
    Deleted,
    /// <summary>The user's mailbox list or subscriptions changed: raised as MailboxListChanged.</summary>
    ListChanged,
}
