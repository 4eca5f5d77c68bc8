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

    /// <summary>Bytes of <c>letterbox.db</c> each connection reads through memory-mapped I/O (SQLite
    /// <c>PRAGMA mmap_size</c>) instead of <c>read()</c> calls into its own page cache: pages come straight from the
    /// OS page cache, shared by all connections, with no copy and no system call (SEARCH TEXT on 100,000 messages:
    /// 202 → 161 ms). Virtual address space only; SQLite caps it at 2 GiB (default, the cap); 0 turns it off. Writes
    /// still go through the WAL. The cost: a disk I/O error on a mapped page stops the process (SIGBUS) where a
    /// <c>read()</c> would have given SQLITE_IOERR (configuration key <c>storage.mmapMegabytes</c>).</summary>
    public long MmapSize { get; init; } = 2147418112;

    /// <summary>Clock used for INTERNALDATE defaults and UIDVALIDITY values. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
