using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    private readonly ChangeFeedHub _feed = new();

    // HIGHESTMODSEQ (and user) of every mailbox as last raised or seen, to tell foreign commits from our own.
    private readonly Dictionary<long, SeenMailbox> _seen = [];
    private readonly Lock _seenGate = new();
    private readonly CancellationTokenSource _stopWatcher = new();
    private TimeSpan? _foreignPollInterval;
    private Task? _foreignWatcher;
    private int _watcherStarted;

    /// <inheritdoc/>
    /// <remarks>Raised after each commit of this instance (on the committing thread, after the write lock is
    /// released). Commits by another process on the same data directory are noticed by polling
    /// (<see cref="SqliteStoreOptions.ForeignChangePollInterval"/>), which starts the first time the feed is used;
    /// see <c>docs/storage.md</c>.</remarks>
    public IChangeFeed ChangeFeed => Feed;

    /// <summary>The feed with its diagnostics (watcher counts), for tests and metrics.</summary>
    public ChangeFeedHub Feed
    {
        get
        {
            if (Volatile.Read(ref _watcherStarted) == 0)
            {
                StartForeignWatcher();
            }
            return _feed;
        }
    }

    /// <summary>Raises a committed transaction's changes on the feed.</summary>
    internal void RaiseCommitted(List<FeedChange> changes)
    {
        lock (_seenGate)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                switch (change.Kind)
                {
                    case FeedChangeKind.Changed or FeedChangeKind.Created:
                        if (!_seen.TryGetValue(change.MailboxId, out var seen))
                        {
                            _seen.Add(change.MailboxId, new SeenMailbox(change.UserId, change.HighestModSeq) { Generation = _seenGeneration });
                        }
                        else if (seen.ModSeq < change.HighestModSeq)
                        {
                            seen.ModSeq = change.HighestModSeq;
                        }
                        break;
                    case FeedChangeKind.Deleted:
                        _seen.Remove(change.MailboxId);
                        break;
                }
            }
        }
        Raise(changes);
    }

    private void Raise(List<FeedChange> changes)
    {
        BumpCommitEpoch(); // before any watcher wakes: its read must not join one that began before this commit
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            switch (change.Kind)
            {
                case FeedChangeKind.ListChanged:
                    _feed.RaiseMailboxListChanged(change.UserId);
                    break;
                case FeedChangeKind.Changed or FeedChangeKind.Deleted:
                    _feed.RaiseMailboxChanged(change.UserId, change.MailboxId, change.HighestModSeq);
                    break;
            }
        }
    }

    private void StartForeignWatcher()
    {
        if (Interlocked.Exchange(ref _watcherStarted, 1) != 0 || _disposed)
        {
            return;
        }
        if (_foreignPollInterval is { } interval && interval > TimeSpan.Zero)
        {
            _foreignWatcher = Task.Run(() => WatchForeignCommitsAsync(interval, _stopWatcher.Token));
        }
    }

    /// <summary>
    /// The store-wide watcher for other processes' commits: every <paramref name="interval"/>, <c>PRAGMA
    /// data_version</c> on a dedicated read connection (it changes when any other connection committed); when it
    /// moved, one read of every mailbox's (id, user, HIGHESTMODSEQ), and MailboxChanged for each that moved past what
    /// was last raised, MailboxListChanged for users whose mailboxes appeared or vanished. This process's own commits
    /// are raised at commit time and recorded, so they are not raised twice (except in a rare race, harmlessly).
    /// </summary>
    private async Task WatchForeignCommitsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var rows = new List<SeenRow>();
        var changed = new List<FeedChange>();
        long? lastVersion = null; // null: compare at the first tick (the baseline was taken at open)
        SqliteConnection? connection = null;
        try
        {
            using var timer = new PeriodicTimer(interval, _time);
            do
            {
                try
                {
                    connection ??= await OpenConnectionAsync(new SqliteConnectionStringBuilder(_readConnectionString) { Pooling = false }.ToString(), cancellationToken);
                    var version = await DataVersionAsync(connection, cancellationToken);
                    if (version == lastVersion)
                    {
                        continue;
                    }
                    lastVersion = version;
                    await ReadMailboxesAsync(connection, rows, cancellationToken);
                    Compare(rows, changed, baseline: false);
                    Raise(changed);
                    changed.Clear();
                }
                catch (SqliteException)
                {
                    // Busy or a transient I/O problem: try again at the next tick with a fresh connection.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                    lastVersion = null;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<long> DataVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ReadMailboxesAsync(SqliteConnection connection, List<SeenRow> rows, CancellationToken cancellationToken)
    {
        rows.Clear();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, user_id, highest_modseq FROM mailboxes";
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SeenRow(reader.GetInt64(0), reader.GetInt64(1), (ulong)reader.GetInt64(2)));
        }
    }

    /// <summary>Updates <see cref="_seen"/> from a fresh read and collects what moved (nothing for the baseline).</summary>
    private void Compare(List<SeenRow> rows, List<FeedChange> changed, bool baseline)
    {
        lock (_seenGate)
        {
            var generation = unchecked(++_seenGeneration);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                if (_seen.TryGetValue(row.Id, out var seen))
                {
                    if (row.ModSeq > seen.ModSeq)
                    {
                        seen.ModSeq = row.ModSeq;
                        if (!baseline)
                        {
                            changed.Add(new FeedChange(FeedChangeKind.Changed, row.UserId, row.Id, row.ModSeq));
                        }
                    }
                }
                else
                {
                    seen = new SeenMailbox(row.UserId, row.ModSeq);
                    _seen.Add(row.Id, seen);
                    if (!baseline)
                    {
                        changed.Add(new FeedChange(FeedChangeKind.ListChanged, row.UserId, 0, 0));
                        changed.Add(new FeedChange(FeedChangeKind.Changed, row.UserId, row.Id, row.ModSeq));
                    }
                }
                seen.Generation = generation;
            }
            List<long>? gone = null;
            foreach (var (id, seen) in _seen)
            {
                if (seen.Generation != generation)
                {
                    (gone ??= []).Add(id);
                    changed.Add(new FeedChange(FeedChangeKind.Changed, seen.UserId, id, seen.ModSeq));
                    changed.Add(new FeedChange(FeedChangeKind.ListChanged, seen.UserId, 0, 0));
                }
            }
            if (gone is not null)
            {
                foreach (var id in gone)
                {
                    _seen.Remove(id);
                }
            }
        }
    }

    private int _seenGeneration;

    /// <summary>Records every mailbox's HIGHESTMODSEQ at open, so the watcher, whenever it starts, raises every
    /// foreign commit made after the open.</summary>
    private async Task TakeForeignBaselineAsync(CancellationToken cancellationToken)
    {
        if (_foreignPollInterval is not { } interval || interval <= TimeSpan.Zero)
        {
            return;
        }
        var rows = new List<SeenRow>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            await ReadMailboxesAsync(connection, rows, cancellationToken);
        }
        Compare(rows, [], baseline: true);
    }

    private async Task StopForeignWatcherAsync()
    {
        _stopWatcher.Cancel();
        if (_foreignWatcher is { } watcher)
        {
            await watcher;
        }
        _stopWatcher.Dispose();
    }

    private readonly record struct SeenRow(long Id, long UserId, ulong ModSeq);

    private sealed class SeenMailbox(long userId, ulong modSeq)
    {
        public long UserId { get; } = userId;

        public ulong ModSeq { get; set; } = modSeq;

        public int Generation { get; set; }
    }
}
