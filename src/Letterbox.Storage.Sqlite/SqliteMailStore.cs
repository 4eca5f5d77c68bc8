using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="IMailStore"/>: metadata in SQLite (<c>letterbox.db</c>, WAL, <c>synchronous=FULL</c>)
/// and message bytes as immutable files under <c>blobs/</c>. Thread-safe: any number of sessions may call it
/// concurrently. Writes are serialised through one write connection (SQLite allows one writer); reads use pooled
/// read-only connections and see a consistent snapshot per call. See <c>docs/storage.md</c>.
/// </summary>
public sealed partial class SqliteMailStore : IMailStore
{
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly BlobFiles _blobs;
    private readonly TimeProvider _time;
    private readonly long _mmapSize;
    private bool _disposed;

    private SqliteMailStore(string dataDirectory, string readConnectionString, SqliteConnection writeConnection, BlobFiles blobs, SqliteStoreOptions options)
    {
        DataDirectory = dataDirectory;
        _readConnectionString = readConnectionString;
        _writeConnection = writeConnection;
        _blobs = blobs;
        _time = options.TimeProvider;
        _foreignPollInterval = options.ForeignChangePollInterval;
        _mmapSize = options.MmapSize;
    }

    /// <summary>The absolute data directory (holds <c>letterbox.db</c>, <c>blobs/</c> and <c>tmp/</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/>: creates the directory,
    /// <c>letterbox.db</c> and its schema (applying pending migrations), the blob directories, and deletes
    /// staging files left by a previous process.
    /// </summary>
    /// <param name="dataDirectory">Directory for all store files; created if missing.</param>
    /// <param name="options">Settings; null for defaults.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close the database.</returns>
    /// <exception cref="InvalidOperationException">The database was written by a newer Letterbox.</exception>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public static async Task<SqliteMailStore> OpenAsync(string dataDirectory, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        options ??= new SqliteStoreOptions();
        var fullPath = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(fullPath);
        var blobs = new BlobFiles(fullPath);
        blobs.Initialize();

        var dbPath = Path.Combine(fullPath, "letterbox.db");
        var busyMs = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        var writeString = new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        var readString = new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        var write = new SqliteConnection(writeString);
        try
        {
            await write.OpenAsync(cancellationToken);
            ConnectionSetup.Prepare(write, options.MmapSize);
            using (var pragma = write.CreateCommand())
            {
                pragma.CommandText =
                    $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={busyMs};";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
            await Schema.MigrateAsync(write, cancellationToken);
            using (var temp = write.CreateCommand())
            {
                // Per-connection scratch tables for set-based expunge/delete (see ReleaseBlobsAsync).
                temp.CommandText =
                    "CREATE TEMP TABLE released (blob_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);" +
                    "CREATE TEMP TABLE selected_uids (uid INTEGER PRIMARY KEY);";
                await temp.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch
        {
            await write.DisposeAsync();
            throw;
        }
        var store = new SqliteMailStore(fullPath, readString, write, blobs, options);
        try
        {
            await store.TakeForeignBaselineAsync(cancellationToken);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
        return store;
    }

    /// <summary>Closes the database connections. Calls in flight must have completed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopForeignWatcherAsync();
        await _writeLock.WaitAsync();
        try
        {
            using (var checkpoint = _writeConnection.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                try
                {
                    await checkpoint.ExecuteNonQueryAsync();
                }
                catch (SqliteException)
                {
                    // A reader in another process may hold the WAL; the checkpoint is an optimisation only.
                }
            }
            await _writeConnection.DisposeAsync();
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Opens a pooled read-only connection.</summary>
    private Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OpenConnectionAsync(_readConnectionString, cancellationToken);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            ConnectionSetup.Prepare(connection, _mmapSize);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    /// <summary>Takes the write lock and begins an IMMEDIATE transaction on the write connection. Dispose the
    /// result to roll back (if not committed) and release the lock.</summary>
    private async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var tx = _writeConnection.BeginTransaction(deferred: false);
            return new WriteScope(this, _writeConnection, tx, _writeLock);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    /// <summary>The current time, truncated to seconds (INTERNALDATE has a one-second resolution).</summary>
    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
