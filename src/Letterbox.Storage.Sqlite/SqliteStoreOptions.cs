namespace Letterbox.Storage.Sqlite;

/// <summary>Settings of <see cref="SqliteMailStore"/>. The defaults suit a laptop and a small production server.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>How long a writer waits for another process's write lock on <c>letterbox.db</c> (SQLite
    /// <c>busy_timeout</c>) before failing with SQLITE_BUSY. Default 10 seconds.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the store checks whether another process (e.g. <c>letterbox import</c> while
    /// <c>letterbox serve</c> runs) committed to <c>letterbox.db</c>, to raise the change feed for it (one
    /// <c>PRAGMA data_version</c> on a dedicated connection; a mailbox read only when it moved). The check starts
    /// when the feed is first used. Default 250 ms; null, zero or negative turns it off (other processes' changes
    /// then reach sessions only at their next command).</summary>
    public TimeSpan? ForeignChangePollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Clock used for INTERNALDATE defaults and UIDVALIDITY values. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
