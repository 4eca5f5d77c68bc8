using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;
using Letterbox.Server.Imap.Handlers;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Notify;

/// <summary>
/// A session's active <c>NOTIFY SET</c> (RFC 5465): the event groups, a watch on the user's change feed, and what
/// the client has been told (mailbox names and ids, subscriptions, the last STATUS per mailbox), so that changes
/// become <c>* STATUS</c> (other mailboxes, §5.1–§5.3), <c>* LIST</c> (MailboxName §5.4, SubscriptionChange §5.5)
/// and, for the selected mailbox, EXISTS / FETCH / EXPUNGE through the view's sync.
/// </summary>
/// <remarks>Used only by the session's own flow (between commands, at the end of a command, in IDLE); the feed
/// thread only touches <see cref="Queue"/>.</remarks>
internal sealed class NotifyWatch : IDisposable
{
    private static readonly StatusItem[] StatusItems = [StatusItem.Messages, StatusItem.UidNext, StatusItem.UidValidity, StatusItem.Unseen];
    private static readonly StatusItem[] StatusItemsModSeq = [StatusItem.Messages, StatusItem.UidNext, StatusItem.UidValidity, StatusItem.Unseen, StatusItem.HighestModSeq];

    private readonly IReadOnlyList<NotifyEventGroup> _groups;
    private readonly NotifyEventGroup? _selected;
    private readonly IDisposable _registration;
    private Dictionary<long, string> _names = [];
    private HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, MailboxStatus> _statusSent = [];

    private NotifyWatch(NotifyCommand command, NotificationQueue queue, IDisposable registration)
    {
        _groups = command.Groups;
        for (var i = 0; i < _groups.Count; i++)
        {
            if (_groups[i].Filter is NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed)
            {
                _selected = _groups[i];
            }
        }
        Queue = queue;
        _registration = registration;
    }

    /// <summary>Where the change feed leaves this session's events.</summary>
    public NotificationQueue Queue { get; }

    /// <summary>
    /// Starts watching: registers on the user's change feed, reads the mailbox list, subscriptions and the status of
    /// every watched mailbox, and — with the STATUS indicator — writes <c>* STATUS</c> for each watched mailbox other
    /// than the selected one (RFC 5465 §3.1).
    /// </summary>
    public static async Task<NotifyWatch> StartAsync(ImapSession session, NotifyCommand command, CancellationToken cancellationToken)
    {
        var queue = new NotificationQueue(session.Options.NotifyQueueLimit, session.Changes);
        var registration = session.Store.ChangeFeed.WatchUser(session.RequiredUser.Id, queue);
        var watch = new NotifyWatch(command, queue, registration);
        try
        {
            await watch.ReloadListAsync(session, cancellationToken);
            foreach (var (id, name) in watch._names)
            {
                if (id == session.SelectedMailbox?.MailboxId || (watch.EventsFor(name) & NotifyEvents.MessageEvents) == 0)
                {
                    continue;
                }
                var status = await TryGetStatusAsync(session.Store, id, cancellationToken);
                if (status is null)
                {
                    continue;
                }
                watch._statusSent[id] = status;
                if (command.Status)
                {
                    watch.WriteStatus(session, name, status);
                }
            }
        }
        catch
        {
            watch.Dispose();
            throw;
        }
        return watch;
    }

    /// <summary>
    /// Writes what changed since the last call: <c>* OK [NOTIFICATIONOVERFLOW]</c> if the queue overflowed (the
    /// caller then drops the watch, §5.8: returns false), the selected mailbox's changes (when SELECTED or
    /// SELECTED-DELAYED asks for message events), <c>* STATUS</c> for other watched mailboxes, <c>* LIST</c> for
    /// name and subscription changes.
    /// </summary>
    /// <param name="session">The session (writer, store, selected view).</param>
    /// <param name="allowExpunge">True between commands and in IDLE (EXPUNGE may be sent for SELECTED, not for
    /// SELECTED-DELAYED, RFC 5465 §6.1.2); false while a command by sequence number is answered.</param>
    /// <param name="cancellationToken">Cancels store reads.</param>
    /// <returns>False when the watch overflowed and must be dropped.</returns>
    public async ValueTask<bool> WriteAsync(ImapSession session, bool allowExpunge, CancellationToken cancellationToken)
    {
        var (mailboxes, listChanged, overflow) = Queue.Take();
        if (overflow)
        {
            session.Writer.WriteUntagged(ResponseCondition.Ok, "NOTIFICATIONOVERFLOW", "Too many notifications: NOTIFY is off, send NOTIFY SET again");
            return false;
        }
        if (listChanged)
        {
            await WriteListChangesAsync(session, cancellationToken);
        }
        foreach (var id in mailboxes)
        {
            if (id == session.SelectedMailbox?.MailboxId)
            {
                await WriteSelectedAsync(session, allowExpunge, cancellationToken);
                continue;
            }
            if (_names.TryGetValue(id, out var name))
            {
                await WriteStatusChangeAsync(session, id, name, cancellationToken);
            }
        }
        return true;
    }

    /// <summary>Reads the mailbox list and subscriptions again without reporting anything (after the session's own
    /// CREATE, DELETE, RENAME, SUBSCRIBE or UNSUBSCRIBE: RFC 5465 §5, events caused by this client SHOULD NOT be
    /// sent).</summary>
    public async ValueTask RefreshSilentlyAsync(ImapSession session, CancellationToken cancellationToken)
    {
        Queue.ClearListChanged();
        await ReloadListAsync(session, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => _registration.Dispose();

    private async ValueTask WriteSelectedAsync(ImapSession session, bool allowExpunge, CancellationToken cancellationToken)
    {
        if (_selected is null || (_selected.Events & NotifyEvents.MessageEvents) == 0
            || session.SelectedMailbox is not SelectedMailboxView view)
        {
            return;
        }
        var highestBefore = view.HighestUid;
        var expunge = allowExpunge && _selected.Filter == NotifyFilterKind.Selected;
        await view.SyncAsync(expunge, session.Writer, cancellationToken);
        if (_selected.FetchItems.Count == 0 || view.HighestUid <= highestBefore)
        {
            return;
        }
        // §5.2: EXISTS, then a FETCH with the attributes asked for; new messages have UIDs above the old highest.
        var set = new SequenceSet([(highestBefore + 1, view.HighestUid)]);
        await FetchHandler.HandleAsync(session, new FetchCommand(set, true, _selected.FetchItems), cancellationToken);
    }

    private async ValueTask WriteStatusChangeAsync(ImapSession session, long id, string name, CancellationToken cancellationToken)
    {
        var events = EventsFor(name);
        if ((events & NotifyEvents.MessageEvents) == 0)
        {
            return;
        }
        var status = await TryGetStatusAsync(session.Store, id, cancellationToken);
        if (status is null)
        {
            return;
        }
        var condstore = (session.Enabled & (EnabledExtensions.Condstore | EnabledExtensions.QResync)) != 0;
        if (_statusSent.TryGetValue(id, out var previous))
        {
            var countsChanged = previous.Messages != status.Messages || previous.UidNext != status.UidNext
                || previous.UidValidity != status.UidValidity;
            // §5.1: a flag change is reported when FlagChange was asked for and UNSEEN (or, with CONDSTORE,
            // HIGHESTMODSEQ) moved.
            var flagsChanged = (events & NotifyEvents.FlagChange) != 0
                && (previous.Unseen != status.Unseen || (condstore && previous.HighestModSeq != status.HighestModSeq));
            if (!countsChanged && !flagsChanged)
            {
                return;
            }
        }
        _statusSent[id] = status;
        WriteStatus(session, name, status);
    }

    private void WriteStatus(ImapSession session, string name, MailboxStatus status)
    {
        var condstore = (session.Enabled & (EnabledExtensions.Condstore | EnabledExtensions.QResync)) != 0;
        StatusHandler.WriteStatus(session.Writer, name, status, condstore ? StatusItemsModSeq : StatusItems);
    }

    /// <summary>Compares the mailbox list and subscriptions with what the client was told and writes a LIST for each
    /// difference a group asks for: created (<c>* LIST () "/" name</c>), deleted (<c>\NonExistent</c>), renamed
    /// (<c>("OLDNAME" ("old"))</c>, only the top of a renamed subtree, §5.4), (un)subscribed (§5.5).</summary>
    private async ValueTask WriteListChangesAsync(ImapSession session, CancellationToken cancellationToken)
    {
        var oldNames = _names;
        var oldSubscriptions = _subscriptions;
        await ReloadListAsync(session, cancellationToken);
        var writer = session.Writer;
        var renamedFrom = new List<string>();
        foreach (var (id, name) in _names)
        {
            if (!oldNames.TryGetValue(id, out var oldName))
            {
                if ((EventsFor(name) & NotifyEvents.MailboxName) != 0)
                {
                    WriteList(writer, name, exists: true, _subscriptions.Contains(name), oldName: null);
                }
            }
            else if (oldName != name)
            {
                renamedFrom.Add(oldName);
            }
        }
        foreach (var (id, name) in _names)
        {
            if (oldNames.TryGetValue(id, out var oldName) && oldName != name && !UnderRenamedParent(oldName, renamedFrom)
                && ((EventsFor(name) | EventsFor(oldName)) & NotifyEvents.MailboxName) != 0)
            {
                WriteList(writer, name, exists: true, _subscriptions.Contains(name), oldName);
            }
        }
        foreach (var (id, oldName) in oldNames)
        {
            if (!_names.ContainsKey(id) && (EventsFor(oldName) & NotifyEvents.MailboxName) != 0)
            {
                WriteList(writer, oldName, exists: false, _subscriptions.Contains(oldName), oldName: null);
            }
        }
        WriteSubscriptionChanges(writer, oldSubscriptions, _subscriptions, subscribed: true);
        WriteSubscriptionChanges(writer, _subscriptions, oldSubscriptions, subscribed: false);
    }

    /// <summary>Names in <paramref name="now"/> but not in <paramref name="before"/> (subscribed or unsubscribed).</summary>
    private void WriteSubscriptionChanges(ImapResponseWriter writer, HashSet<string> before, HashSet<string> now, bool subscribed)
    {
        foreach (var name in now)
        {
            if (!before.Contains(name) && (EventsFor(name) & NotifyEvents.SubscriptionChange) != 0)
            {
                WriteList(writer, name, Exists(name), subscribed, oldName: null);
            }
        }
    }

    private bool Exists(string name)
    {
        foreach (var existing in _names.Values)
        {
            if (existing == name)
            {
                return true;
            }
        }
        return false;
    }

    private static bool UnderRenamedParent(string oldName, List<string> renamedFrom)
    {
        for (var i = 0; i < renamedFrom.Count; i++)
        {
            var parent = renamedFrom[i];
            if (oldName.Length > parent.Length && oldName.StartsWith(parent, StringComparison.Ordinal) && oldName[parent.Length] == '/')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>* LIST (attributes) "/" name [("OLDNAME" ("old"))]</c> (RFC 5258 §9, RFC 5465 §5.4).</summary>
    private static void WriteList(ImapResponseWriter writer, string name, bool exists, bool subscribed, string? oldName)
    {
        writer.WriteRaw("* LIST ("u8);
        var space = false;
        if (!exists)
        {
            writer.WriteRaw("\\NonExistent"u8);
            space = true;
        }
        if (subscribed)
        {
            if (space)
            {
                writer.WriteByte((byte)' ');
            }
            writer.WriteRaw("\\Subscribed"u8);
        }
        writer.WriteRaw(") \"/\" "u8);
        writer.WriteMailboxName(name);
        if (oldName is not null)
        {
            writer.WriteRaw(" (\"OLDNAME\" ("u8);
            writer.WriteMailboxName(oldName);
            writer.WriteRaw("))"u8);
        }
        writer.WriteCrlf();
    }

    /// <summary>The events the non-selected groups ask for on the mailbox <paramref name="name"/> (RFC 5465 §6.2–§6.6;
    /// INBOXES is treated as PERSONAL, which §6.3 allows).</summary>
    private NotifyEvents EventsFor(string name)
    {
        var events = NotifyEvents.None;
        for (var i = 0; i < _groups.Count; i++)
        {
            var group = _groups[i];
            if (Matches(group, name))
            {
                events |= group.Events;
            }
        }
        return events;
    }

    private bool Matches(NotifyEventGroup group, string name)
    {
        switch (group.Filter)
        {
            case NotifyFilterKind.Personal:
            case NotifyFilterKind.Inboxes:
                return true;
            case NotifyFilterKind.Subscribed:
                return _subscriptions.Contains(name);
            case NotifyFilterKind.Mailboxes:
                for (var i = 0; i < group.Names.Count; i++)
                {
                    if (group.Names[i] == name)
                    {
                        return true;
                    }
                }
                return false;
            case NotifyFilterKind.Subtree:
                for (var i = 0; i < group.Names.Count; i++)
                {
                    var root = group.Names[i];
                    if (name == root || (name.Length > root.Length && name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '/'))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private async ValueTask ReloadListAsync(ImapSession session, CancellationToken cancellationToken)
    {
        var user = session.RequiredUser.Id;
        var mailboxes = await session.Store.ListMailboxesAsync(user, cancellationToken);
        var names = new Dictionary<long, string>(mailboxes.Count);
        for (var i = 0; i < mailboxes.Count; i++)
        {
            names[mailboxes[i].Id] = mailboxes[i].Name;
        }
        var subscriptions = await session.Store.GetSubscriptionsAsync(user, cancellationToken);
        _names = names;
        _subscriptions = new HashSet<string>(subscriptions, StringComparer.Ordinal);
    }

    private static async Task<MailboxStatus?> TryGetStatusAsync(IMailStore store, long id, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetStatusAsync(id, cancellationToken);
        }
        catch (MailStoreException e) when (e.Error == MailStoreError.NonExistent)
        {
            return null;
        }
    }
}
