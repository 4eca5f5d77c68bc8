using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap.Notify;

/// <summary>
/// What the change feed reported for one session since its notifications were last written (RFC 5465): the ids of
/// changed mailboxes (coalesced), whether the mailbox list or subscriptions changed, and whether more events came
/// than <see cref="ImapServerOptions.NotifyQueueLimit"/> allows (then the session sends NOTIFICATIONOVERFLOW, §5.8).
/// </summary>
/// <remarks>Thread-safe: the store calls <see cref="IChangeListener"/> on committing threads; the session takes the
/// pending work with <see cref="Take"/>. Listener calls only take a short lock and never block or throw.</remarks>
/// <param name="limit">Events allowed between two <see cref="Take"/> calls before overflow.</param>
/// <param name="wake">Also set on every event, so IDLE (which waits on the session's change signal) wakes.</param>
internal sealed class NotificationQueue(int limit, ChangeSignal wake) : IChangeListener
{
    private readonly object _lock = new();
    private HashSet<long> _mailboxes = [];
    private HashSet<long> _spare = [];
    private bool _listChanged;
    private bool _overflow;
    private int _events;
    private TaskCompletionSource? _signal;

    /// <inheritdoc/>
    public void MailboxChanged(long userId, long mailboxId, ulong highestModSeq)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (!_overflow)
            {
                _mailboxes.Add(mailboxId);
                Count();
            }
            signal = TakeSignal();
        }
        signal?.TrySetResult();
        wake.Set();
    }

    /// <inheritdoc/>
    public void MailboxListChanged(long userId)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (!_overflow)
            {
                _listChanged = true;
                Count();
            }
            signal = TakeSignal();
        }
        signal?.TrySetResult();
        wake.Set();
    }

    /// <summary>True when something waits to be written.</summary>
    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _mailboxes.Count > 0 || _listChanged || _overflow;
            }
        }
    }

    /// <summary>A task that completes when something is pending (at once if it already is). Abandoning it is
    /// harmless; it never faults.</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_mailboxes.Count > 0 || _listChanged || _overflow)
            {
                return Task.CompletedTask;
            }
            _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _signal.Task;
        }
    }

    /// <summary>Takes the pending work and resets the queue. The returned set is valid until the next call.</summary>
    public (HashSet<long> Mailboxes, bool ListChanged, bool Overflow) Take()
    {
        lock (_lock)
        {
            var taken = _mailboxes;
            _mailboxes = _spare;
            _mailboxes.Clear();
            _spare = taken;
            var result = (taken, _listChanged, _overflow);
            _listChanged = false;
            _overflow = false;
            _events = 0;
            return result;
        }
    }

    /// <summary>Forgets a pending mailbox-list change (the session's own CREATE/DELETE/RENAME/SUBSCRIBE, RFC 5465 §5:
    /// events caused by this client SHOULD NOT be reported).</summary>
    public void ClearListChanged()
    {
        lock (_lock)
        {
            _listChanged = false;
        }
    }

    private void Count()
    {
        if (++_events > limit)
        {
            _overflow = true;
            _mailboxes.Clear();
            _listChanged = false;
        }
    }

    private TaskCompletionSource? TakeSignal()
    {
        var signal = _signal;
        _signal = null;
        return signal;
    }
}
