using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Commands;

/// <summary>Which mailboxes an event group watches (RFC 5465 §6 <c>filter-mailboxes</c>).</summary>
public enum NotifyFilterKind
{
    /// <summary><c>SELECTED</c>: the selected mailbox, events sent at once (§6.1.1).</summary>
    Selected,
    /// <summary><c>SELECTED-DELAYED</c>: the selected mailbox, expunges held until a command may carry them
    /// (§6.1.2).</summary>
    SelectedDelayed,
    /// <summary><c>INBOXES</c>: mailboxes mail is delivered to; here the same as PERSONAL (§6.3 allows it).</summary>
    Inboxes,
    /// <summary><c>PERSONAL</c>: every mailbox of the user (§6.2).</summary>
    Personal,
    /// <summary><c>SUBSCRIBED</c>: every subscribed mailbox, re-evaluated when subscriptions change (§6.4).</summary>
    Subscribed,
    /// <summary><c>SUBTREE names</c>: the named mailboxes and everything below them (§6.5).</summary>
    Subtree,
    /// <summary><c>MAILBOXES names</c>: exactly the named mailboxes, no wildcards (§6.6).</summary>
    Mailboxes,
}

/// <summary>Events a group asks for (RFC 5465 §5), as bits.</summary>
[Flags]
public enum NotifyEvents
{
    /// <summary>No event (<c>NONE</c>).</summary>
    None = 0,
    /// <summary>MessageNew (§5.2).</summary>
    MessageNew = 1,
    /// <summary>MessageExpunge (§5.3).</summary>
    MessageExpunge = 2,
    /// <summary>FlagChange (§5.1).</summary>
    FlagChange = 4,
    /// <summary>AnnotationChange (§5.1): accepted, never sent (no ANNOTATE support).</summary>
    AnnotationChange = 8,
    /// <summary>MailboxName (§5.4).</summary>
    MailboxName = 16,
    /// <summary>SubscriptionChange (§5.5).</summary>
    SubscriptionChange = 32,
    /// <summary>The message events: MessageNew, MessageExpunge, FlagChange, AnnotationChange.</summary>
    MessageEvents = MessageNew | MessageExpunge | FlagChange | AnnotationChange,
}

/// <summary>One <c>event-group</c>: a mailbox filter and its events.</summary>
/// <param name="Filter">Which mailboxes.</param>
/// <param name="Names">For SUBTREE and MAILBOXES: the mailbox names (INBOX canonical upper case); empty otherwise.</param>
/// <param name="Events">The supported events asked for.</param>
/// <param name="FetchItems">MessageNew's fetch attributes (only with SELECTED / SELECTED-DELAYED); empty when none.</param>
/// <param name="UnsupportedEvents">Event names this server does not support (MailboxMetadataChange,
/// ServerMetadataChange, unknown atoms), as written: the handler refuses the command with <c>NO [BADEVENT …]</c>.</param>
public sealed record NotifyEventGroup(
    NotifyFilterKind Filter,
    IReadOnlyList<string> Names,
    NotifyEvents Events,
    IReadOnlyList<FetchItem> FetchItems,
    IReadOnlyList<string> UnsupportedEvents);

/// <summary>
/// <c>NOTIFY NONE</c> or <c>NOTIFY SET [STATUS] event-group...</c> (RFC 5465 §3.1, §8). The parser enforces the
/// grammar and the rules that make a command BAD: MessageNew and MessageExpunge together, FlagChange and
/// AnnotationChange only with both (§5), only message events for SELECTED/SELECTED-DELAYED, at most one of those
/// (§6.1), fetch attributes only for them.
/// </summary>
/// <param name="Set">False for NOTIFY NONE.</param>
/// <param name="Status">The STATUS indicator: send STATUS for every watched mailbox before the tagged OK.</param>
/// <param name="Groups">The event groups, in order (empty for NONE).</param>
public sealed record NotifyCommand(bool Set, bool Status, IReadOnlyList<NotifyEventGroup> Groups) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "NOTIFY";

    /// <summary><c>SP (notify-set / notify-none)</c>.</summary>
    internal static NotifyCommand Parse(ref ImapParser p)
    {
        p.Sp("SET or NONE");
        if (p.TryKeyword("NONE"u8))
        {
            return new NotifyCommand(false, false, []);
        }
        if (!p.TryKeyword("SET"u8))
        {
            throw ImapParser.Bad("Expected NOTIFY SET or NOTIFY NONE");
        }
        p.Sp("STATUS or an event group");
        var status = p.TryKeyword("STATUS"u8);
        if (status)
        {
            p.Sp("an event group");
        }
        var groups = new List<NotifyEventGroup>();
        var selectedSeen = false;
        do
        {
            var group = EventGroup(ref p);
            if (group.Filter is NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed)
            {
                if (selectedSeen)
                {
                    throw ImapParser.Bad("Only one of SELECTED and SELECTED-DELAYED may be given (RFC 5465 §6.1)");
                }
                selectedSeen = true;
            }
            groups.Add(group);
        }
        while (p.TrySp());
        return new NotifyCommand(true, status, groups);
    }

    /// <summary><c>"(" filter-mailboxes SP events ")"</c>.</summary>
    private static NotifyEventGroup EventGroup(ref ImapParser p)
    {
        p.Expect((byte)'(', "'(' to start an event group");
        var (filter, names) = FilterMailboxes(ref p);
        p.Sp("events");
        var fetchItems = new List<FetchItem>();
        var unsupported = new List<string>();
        var events = NotifyEvents.None;
        var lastWasMessageNew = false;
        if (!p.TryKeyword("NONE"u8))
        {
            p.Expect((byte)'(', "'(' to start the events or NONE");
            while (true)
            {
                if (events.HasFlag(NotifyEvents.MessageNew) && fetchItems.Count == 0 && p.Peek() == '('
                    && lastWasMessageNew)
                {
                    if (filter is not (NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed))
                    {
                        throw ImapParser.Bad("MessageNew fetch attributes are only allowed for SELECTED or SELECTED-DELAYED (RFC 5465 §8)");
                    }
                    FetchAttributes(ref p, fetchItems);
                }
                else
                {
                    var name = p.Atom("an event name");
                    var flag = EventFlag(name);
                    if (flag == NotifyEvents.None)
                    {
                        unsupported.Add(name);
                    }
                    else if ((events & flag) != 0)
                    {
                        throw ImapParser.Bad($"Event {name} is given twice");
                    }
                    events |= flag;
                    lastWasMessageNew = flag == NotifyEvents.MessageNew;
                }
                if (p.TryConsume((byte)')'))
                {
                    break;
                }
                p.Sp("an event name or ')'");
            }
        }
        p.Expect((byte)')', "')' to end the event group");
        Validate(filter, events);
        return new NotifyEventGroup(filter, names, events, fetchItems, unsupported);
    }

    /// <summary>RFC 5465 §5: MessageNew and MessageExpunge together; FlagChange/AnnotationChange need both. §6.1:
    /// SELECTED and SELECTED-DELAYED take only message events.</summary>
    private static void Validate(NotifyFilterKind filter, NotifyEvents events)
    {
        var newOrExpunge = events & (NotifyEvents.MessageNew | NotifyEvents.MessageExpunge);
        if (newOrExpunge != NotifyEvents.None && newOrExpunge != (NotifyEvents.MessageNew | NotifyEvents.MessageExpunge))
        {
            throw ImapParser.Bad("MessageNew and MessageExpunge must be given together (RFC 5465 §5)");
        }
        if ((events & (NotifyEvents.FlagChange | NotifyEvents.AnnotationChange)) != 0 && newOrExpunge == NotifyEvents.None)
        {
            throw ImapParser.Bad("FlagChange and AnnotationChange need MessageNew and MessageExpunge (RFC 5465 §5)");
        }
        if (filter is NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed
            && (events & ~NotifyEvents.MessageEvents) != NotifyEvents.None)
        {
            throw ImapParser.Bad("SELECTED and SELECTED-DELAYED take only message events (RFC 5465 §6.1)");
        }
    }

    /// <summary><c>filter-mailboxes</c>.</summary>
    private static (NotifyFilterKind Filter, IReadOnlyList<string> Names) FilterMailboxes(ref ImapParser p)
    {
        var word = p.Atom("a mailbox filter");
        switch (word.ToUpperInvariant())
        {
            case "SELECTED":
                return (NotifyFilterKind.Selected, []);
            case "SELECTED-DELAYED":
                return (NotifyFilterKind.SelectedDelayed, []);
            case "INBOXES":
                return (NotifyFilterKind.Inboxes, []);
            case "PERSONAL":
                return (NotifyFilterKind.Personal, []);
            case "SUBSCRIBED":
                return (NotifyFilterKind.Subscribed, []);
            case "SUBTREE":
                return (NotifyFilterKind.Subtree, OneOrMoreMailbox(ref p));
            case "MAILBOXES":
                return (NotifyFilterKind.Mailboxes, OneOrMoreMailbox(ref p));
            default:
                throw ImapParser.Bad("Unknown mailbox filter " + word + ": expected SELECTED, SELECTED-DELAYED, INBOXES, PERSONAL, SUBSCRIBED, SUBTREE or MAILBOXES");
        }
    }

    /// <summary><c>SP (mailbox / "(" mailbox *(SP mailbox) ")")</c>.</summary>
    private static List<string> OneOrMoreMailbox(ref ImapParser p)
    {
        p.Sp("a mailbox name or list");
        var names = new List<string>();
        if (!p.TryConsume((byte)'('))
        {
            names.Add(p.Mailbox());
            return names;
        }
        while (true)
        {
            names.Add(p.Mailbox());
            if (p.TryConsume((byte)')'))
            {
                return names;
            }
            p.Sp("a mailbox name or ')'");
        }
    }

    /// <summary>After MessageNew: <c>"(" fetch-att *(SP fetch-att) ")"</c>.</summary>
    private static void FetchAttributes(ref ImapParser p, List<FetchItem> items)
    {
        p.Expect((byte)'(', "'(' to start fetch attributes");
        while (true)
        {
            items.Add(FetchCommand.FetchAtt(ref p));
            if (p.TryConsume((byte)')'))
            {
                return;
            }
            p.Sp("a fetch attribute or ')'");
        }
    }

    private static NotifyEvents EventFlag(string name) => name.ToUpperInvariant() switch
    {
        "MESSAGENEW" => NotifyEvents.MessageNew,
        "MESSAGEEXPUNGE" => NotifyEvents.MessageExpunge,
        "FLAGCHANGE" => NotifyEvents.FlagChange,
        "ANNOTATIONCHANGE" => NotifyEvents.AnnotationChange,
        "MAILBOXNAME" => NotifyEvents.MailboxName,
        "SUBSCRIPTIONCHANGE" => NotifyEvents.SubscriptionChange,
        _ => NotifyEvents.None,
    };

    /// <summary>The events this server supports, as <c>BADEVENT</c> lists them (RFC 5465 §3.1).</summary>
    public const string SupportedEventNames = "MessageNew MessageExpunge FlagChange AnnotationChange MailboxName SubscriptionChange";
}
