using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap;

/// <summary>
/// A session's wake-up signal: the <see cref="IChangeListener"/> its selected mailbox is watched with
/// (<see cref="ImapSession.SelectAsync"/>), waited on by IDLE (RFC 2177). A notification sets it; IDLE consumes it,
/// then reads what changed with <see cref="ISelectedMailbox.SyncAsync"/>. Coalescing: any number of notifications
/// before the next consume count as one.
/// </summary>
/// <remarks>Raising costs one interlocked write and, only when IDLE is waiting, completing one task (whose
/// continuation runs on the thread pool, never on the committing thread). One waiter at a time. Other watchers of
/// the session (e.g. NOTIFY's user watch) may call <see cref="Set"/> to wake IDLE too.</remarks>
public sealed class ChangeSignal : IChangeListener
{
    private int _pending;
    private TaskCompletionSource? _waiter;

    /// <summary>True when a change arrived that has not been consumed.</summary>
    public bool IsSet => Volatile.Read(ref _pending) != 0;

    /// <summary>Marks a change and wakes the waiter, if any. Never blocks, never throws.</summary>
    public void Set()
    {
        Interlocked.Exchange(ref _pending, 1);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>Clears the signal; true when it was set. Consume before reading the changes, so one arriving
    /// during the read sets it again.</summary>
    public bool TryConsume() => Interlocked.Exchange(ref _pending, 0) != 0;

    /// <summary>A task that completes when the signal is set (at once if it already is). Does not consume it.</summary>
    public Task WaitAsync()
    {
        if (IsSet)
        {
            return Task.CompletedTask;
        }
        var waiter = Volatile.Read(ref _waiter);
        if (waiter is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter = Interlocked.CompareExchange(ref _waiter, created, null) ?? created;
        }
        if (IsSet)
        {
            // Set() may have run before the waiter was published; it would then not have completed it.
            Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
            return Task.CompletedTask;
        }
        return waiter.Task;
    }

    /// <inheritdoc/>
    void IChangeListener.MailboxChanged(long userId, long mailboxId, ulong highestModSeq) => Set();

    /// <inheritdoc/>
    void IChangeListener.MailboxListChanged(long userId) => Set();
}
