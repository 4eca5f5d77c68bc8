namespace Letterbox.Mail.Store;

/// <summary>
/// Push notification of committed changes, so sessions learn of other sessions' (and other processes') changes
/// without polling: IDLE (RFC 2177, RFC 9051 §6.3.13) and NOTIFY (RFC 5465) wait on it. A notification carries no
/// data beyond the mailbox and its HIGHESTMODSEQ; the watcher reads what changed with
/// <see cref="IMailStore.GetChangesAsync"/>.
/// </summary>
/// <remarks>
/// Notifications are raised after the commit, so a watcher that reads after being notified sees the change. They
/// may be coalesced (one notification for several commits) and may be late or repeated (a foreign process's commit
/// is noticed by polling), never lost while the watch is registered. Fan-out costs O(watchers of that mailbox or
/// user) per change: there is no mailbox scan.
/// </remarks>
public interface IChangeFeed
{
    /// <summary>
    /// Calls <see cref="IChangeListener.MailboxChanged"/> after every committed change to the mailbox: messages
    /// appended, copied or moved into it or moved out of it, flags changed, messages expunged, the mailbox deleted or
    /// renamed. Possibly coalesced.
    /// </summary>
    /// <param name="mailboxId">The store's mailbox id (need not exist: a watch on a deleted mailbox never fires).</param>
    /// <param name="listener">Called on a store thread; must not block or throw.</param>
    /// <returns>The registration: dispose it to stop (idempotent). A notification already in flight may still
    /// arrive once after disposal.</returns>
    IDisposable WatchMailbox(long mailboxId, IChangeListener listener);

    /// <summary>
    /// Calls <see cref="IChangeListener.MailboxChanged"/> for a change to any mailbox of the user (as
    /// <see cref="WatchMailbox"/>), and <see cref="IChangeListener.MailboxListChanged"/> when a mailbox of the user is
    /// created, deleted or renamed, a subscription is added or removed, or the user is deleted.
    /// </summary>
    /// <param name="userId">The store's user id.</param>
    /// <param name="listener">Called on a store thread; must not block or throw.</param>
    /// <returns>The registration: dispose it to stop (idempotent).</returns>
    IDisposable WatchUser(long userId, IChangeListener listener);
}

/// <summary>
/// Receives change notifications from <see cref="IChangeFeed"/>. Implementations must return quickly and must not
/// throw (a throwing listener is ignored, never fails the commit); they are typically a signal that wakes a session.
/// They may be called on the committing thread, after the commit, and concurrently for different changes.
/// </summary>
public interface IChangeListener
{
    /// <summary>A committed change to mailbox <paramref name="mailboxId"/> of user <paramref name="userId"/>;
    /// <paramref name="highestModSeq"/> is its HIGHESTMODSEQ after the change (RFC 7162 §3.1.1) — for a deleted
    /// mailbox, its last one.</summary>
    void MailboxChanged(long userId, long mailboxId, ulong highestModSeq);

    /// <summary>The user's mailbox list or subscriptions changed (create, delete, rename, subscribe, unsubscribe,
    /// user deleted); LIST/LSUB answers may differ now.</summary>
    void MailboxListChanged(long userId);
}
