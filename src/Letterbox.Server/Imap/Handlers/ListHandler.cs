using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154) and LIST-STATUS (RFC 5819).
/// Every line carries <c>\HasChildren</c>/<c>\HasNoChildren</c> and the special-use attributes, even on a plain LIST
/// (CLIENT-QUIRKS 3). Levels that have children but do not exist are <c>\Noselect</c> (<c>\NonExistent</c> with
/// extended syntax). <c>\Subscribed</c> appears with RETURN (SUBSCRIBED) or the SUBSCRIBED selection.
/// <c>LIST "" ""</c> answers <c>* LIST (\Noselect) "/" ""</c>.
/// </summary>
public static class ListHandler
{
    private sealed class Node
    {
        public MailboxInfo? Info;
        public bool HasChildren;
        public bool Subscribed;
        public bool HasSubscribedDescendant;
    }

    /// <summary>Writes the matching LIST (and STATUS) responses.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, ListCommand command, CancellationToken cancellationToken)
    {
        var writer = session.Writer;
        if (command.Patterns.Count == 1 && command.Patterns[0].Length == 0)
        {
            writer.WriteRaw("* LIST (\\Noselect) \"/\" \"\"\r\n"u8);
            return CommandResult.Ok("LIST completed");
        }
        var user = session.RequiredUser;
        var select = command.SelectOptions;
        var returns = command.ReturnOptions;
        var selectSubscribed = (select & ListSelectOptions.Subscribed) != 0;
        var recursiveMatch = (select & ListSelectOptions.RecursiveMatch) != 0;
        var showSubscribed = selectSubscribed || (returns & ListReturnOptions.Subscribed) != 0;

        var patterns = new string[command.Patterns.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            patterns[i] = MailboxNames.CombinePattern(command.Reference, command.Patterns[i]);
        }

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var mailboxes = await session.Store.ListMailboxesAsync(user.Id, cancellationToken);
        for (var i = 0; i < mailboxes.Count; i++)
        {
            var mailbox = mailboxes[i];
            GetNode(nodes, mailbox.Name).Info = mailbox;
            for (var parent = MailboxNames.Parent(mailbox.Name); parent is not null; parent = MailboxNames.Parent(parent))
            {
                GetNode(nodes, parent).HasChildren = true;
            }
        }
        if (showSubscribed)
        {
            var subscriptions = await session.Store.GetSubscriptionsAsync(user.Id, cancellationToken);
            for (var i = 0; i < subscriptions.Count; i++)
            {
                var name = subscriptions[i];
                if (selectSubscribed)
                {
                    GetNode(nodes, name).Subscribed = true;
                    for (var parent = MailboxNames.Parent(name); parent is not null; parent = MailboxNames.Parent(parent))
                    {
                        GetNode(nodes, parent).HasSubscribedDescendant = true;
                    }
                }
                else if (nodes.TryGetValue(name, out var node))
                {
                    node.Subscribed = true;
                }
            }
        }

        var names = new List<string>(nodes.Keys);
        names.Sort(CompareNames);
        var extended = command.IsExtended;
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var node = nodes[name];
            if (!MatchesAny(name, patterns))
            {
                continue;
            }
            var childInfo = selectSubscribed && recursiveMatch && node.HasSubscribedDescendant;
            if (selectSubscribed && !node.Subscribed && !childInfo)
            {
                continue;
            }
            if ((select & ListSelectOptions.SpecialUse) != 0 && (node.Info is null || node.Info.SpecialUse == SpecialUse.None))
            {
                continue;
            }
            WriteListLine(writer, name, node, extended, showSubscribed, childInfo);
            if ((returns & ListReturnOptions.Status) != 0 && node.Info is not null && command.StatusItems is { Count: > 0 } items)
            {
                var status = await session.Store.GetStatusAsync(node.Info.Id, cancellationToken);
                StatusHandler.WriteStatus(writer, name, status, items);
            }
        }
        return CommandResult.Ok("LIST completed");
    }

    private static void WriteListLine(ImapResponseWriter writer, string name, Node node, bool extended, bool showSubscribed, bool childInfo)
    {
        writer.WriteRaw("* LIST ("u8);
        if (node.Info is null)
        {
            writer.WriteRaw(extended ? "\\NonExistent "u8 : "\\Noselect "u8);
        }
        writer.WriteRaw(node.HasChildren ? "\\HasChildren"u8 : "\\HasNoChildren"u8);
        var use = node.Info?.SpecialUse ?? SpecialUse.None;
        if (use != SpecialUse.None)
        {
            WriteSpecialUse(writer, use);
        }
        if (showSubscribed && node.Subscribed)
        {
            writer.WriteRaw(" \\Subscribed"u8);
        }
        writer.WriteRaw(") \"/\" "u8);
        writer.WriteMailboxName(name);
        if (childInfo)
        {
            writer.WriteRaw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))"u8);
        }
        writer.WriteCrlf();
    }

    /// <summary>Writes each special-use attribute as <c> \Name</c> (RFC 6154 §2), in a fixed order.</summary>
    public static void WriteSpecialUse(ImapResponseWriter writer, SpecialUse use)
    {
        if ((use & SpecialUse.All) != 0)
        {
            writer.WriteRaw(" \\All"u8);
        }
        if ((use & SpecialUse.Archive) != 0)
        {
            writer.WriteRaw(" \\Archive"u8);
        }
        if ((use & SpecialUse.Drafts) != 0)
        {
            writer.WriteRaw(" \\Drafts"u8);
        }
        if ((use & SpecialUse.Flagged) != 0)
        {
            writer.WriteRaw(" \\Flagged"u8);
        }
        if ((use & SpecialUse.Junk) != 0)
        {
            writer.WriteRaw(" \\Junk"u8);
        }
        if ((use & SpecialUse.Sent) != 0)
        {
            writer.WriteRaw(" \\Sent"u8);
        }
        if ((use & SpecialUse.Trash) != 0)
        {
            writer.WriteRaw(" \\Trash"u8);
        }
    }

    private static Node GetNode(Dictionary<string, Node> nodes, string name)
    {
        if (!nodes.TryGetValue(name, out var node))
        {
            node = new Node();
            nodes.Add(name, node);
        }
        return node;
    }

    private static bool MatchesAny(string name, string[] patterns)
    {
        for (var i = 0; i < patterns.Length; i++)
        {
            if (MailboxNames.Matches(name, patterns[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>INBOX first, then ordinal order (parents before their children).</summary>
    internal static int CompareNames(string a, string b)
    {
        var aInbox = a == "INBOX";
        var bInbox = b == "INBOX";
        if (aInbox || bInbox)
        {
            return aInbox == bInbox ? 0 : aInbox ? -1 : 1;
        }
        return string.CompareOrdinal(a, b);
    }
}
