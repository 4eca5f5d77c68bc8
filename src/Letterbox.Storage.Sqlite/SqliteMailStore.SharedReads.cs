using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    // Change reads in flight, by (mailbox, since): sessions woken by the same commit share one read.
    private readonly Dictionary<(long MailboxId, ulong Since), ChangeRead> _changeReads = [];
    private readonly Lock _changeReadsGate = new();

    // Bumped before every commit (this process's or a foreign one noticed by the watcher) is raised on the feed.
    private long _commitEpoch;

    /// <inheritdoc/>
    /// <remarks>
    /// Concurrent calls with the same mailbox and <paramref name="sinceModSeq"/> share one read when no commit has
    /// been raised on the change feed since that read began: 10,000 IDLE sessions woken by one APPEND cost a few
    /// reads, not 10,000. A caller therefore always sees every commit raised before its call (its own included, as
    /// the store raises a commit before the mutating call returns). See <see cref="ReadChangesAsync"/> for what is
    /// read; the result is shared, so callers must not change it (its lists are read-only).
    /// </remarks>
    public Task<MailboxChanges> GetChangesAsync(long mailboxId, ulong sinceModSeq, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = (mailboxId, sinceModSeq);
        var epoch = Volatile.Read(ref _commitEpoch);
        ChangeRead read;
        lock (_changeReadsGate)
        {
            if (_changeReads.TryGetValue(key, out var running) && running.Epoch == epoch)
            {
                return running.Task.WaitAsync(cancellationToken);
            }
            read = new ChangeRead(epoch);
            // Returns at its first await (Task.Yield), so the lock is held only for the start. Not cancelled by
            // this caller's token: others may join it.
            read.Task = RunChangeReadAsync(key, read);
            _changeReads[key] = read;
        }
        return read.Task.WaitAsync(cancellationToken);
    }

    private async Task<MailboxChanges> RunChangeReadAsync((long MailboxId, ulong Since) key, ChangeRead read)
    {
        try
        {
            await Task.Yield(); // leave the caller's lock before reading
            return await ReadChangesAsync(key.MailboxId, key.Since, CancellationToken.None);
        }
        finally
        {
            lock (_changeReadsGate)
            {
                if (_changeReads.TryGetValue(key, out var current) && ReferenceEquals(current, read))
                {
                    _changeReads.Remove(key);
                }
            }
        }
    }

    private void BumpCommitEpoch() => Interlocked.Increment(ref _commitEpoch);

    private sealed class ChangeRead(long epoch)
    {
        public long Epoch { get; } = epoch;

        public Task<MailboxChanges> Task { get; set; } = null!;
    }
}
