namespace Letterbox.Storage.Sqlite;

/// <summary>Settings of <see cref="SqliteMailStore"/>. The defaults suit a laptop and a small production server.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>How long a writer waits for another process's write lock on <c>letterbox.db</c> (SQLite
    /// <c>busy_timeout</c>) before failing with SQLITE_BUSY. Default 10 seconds.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock used for INTERNALDATE defaults and UIDVALIDITY values. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
