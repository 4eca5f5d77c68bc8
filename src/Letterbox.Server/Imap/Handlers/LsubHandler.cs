using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// LSUB (RFC 3501 §6.3.9, deprecated by RFC 9051 but used by older clients): subscribed names matching the
/// pattern. With <c>%</c>, an unsubscribed parent of a subscribed name that matches is listed <c>\Noselect</c>.
/// </summary>
public static class LsubHandler
{
    /// <summary>Writes the LSUB responses.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, LsubCommand command, CancellationToken cancellationToken)
    {
        var pattern = MailboxNames.CombinePattern(command.Reference, command.Pattern);
        var subscriptions = await session.Store.GetSubscriptionsAsync(session.RequiredUser.Id, cancellationToken);
        var subscribed = new HashSet<string>(subscriptions, StringComparer.Ordinal);
        var results = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < subscriptions.Count; i++)
        {
            var name = subscriptions[i];
            if (MailboxNames.Matches(name, pattern))
            {
                results[name] = false;
                continue;
            }
            for (var parent = MailboxNames.Parent(name); parent is not null; parent = MailboxNames.Parent(parent))
            {
                if (!subscribed.Contains(parent) && MailboxNames.Matches(parent, pattern))
                {
                    results[parent] = true;
                }
            }
        }
        var names = new List<string>(results.Keys);
        names.Sort(ListHandler.CompareNames);
        var writer = session.Writer;
        for (var i = 0; i < names.Count; i++)
        {
            writer.WriteRaw(results[names[i]] ? "* LSUB (\\Noselect) \"/\" "u8 : "* LSUB () \"/\" "u8);
            writer.WriteMailboxName(names[i]);
            writer.WriteCrlf();
        }
        return CommandResult.Ok("LSUB completed");
    }
}
