using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>An open write transaction holding the store's write lock. Commands made here are enlisted in the
/// transaction. Disposing rolls back an uncommitted transaction and releases the lock.</summary>
internal sealed class WriteScope(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim writeLock) : IDisposable
{
    private bool _disposed;

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

    /// <summary>Commits: the durability point of the operation.</summary>
    public void Commit() => Transaction.Commit();

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
    }
}
