using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// STATUS (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ): <c>* STATUS name (MESSAGES n UIDNEXT n …)</c>, items in the
/// order asked. RECENT is always 0 (IMAP4rev2 removed \Recent). NO [NONEXISTENT] for a missing mailbox.
/// HIGHESTMODSEQ is a CONDSTORE-enabling item (RFC 7162 §3.1, §3.1.7).
/// </summary>
public static class StatusHandler
{
    /// <summary>Writes the STATUS response.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, StatusCommand command, CancellationToken cancellationToken)
    {
        var name = MailboxNames.Canonicalize(command.Mailbox);
        var mailbox = await session.Store.GetMailboxAsync(session.RequiredUser.Id, name, cancellationToken);
        if (mailbox is null)
        {
            return CommandResult.No("NONEXISTENT", "Mailbox does not exist");
        }
        if (command.Items.Contains(StatusItem.HighestModSeq))
        {
            CondstoreEnabling.Enable(session);
        }
        var status = await session.Store.GetStatusAsync(mailbox.Id, cancellationToken);
        WriteStatus(session.Writer, mailbox.Name, status, command.Items);
        return CommandResult.Ok("STATUS completed");
    }

    /// <summary>Writes <c>* STATUS name (items)</c> (RFC 9051 §7.3.4); shared with LIST-STATUS (RFC 5819).</summary>
    public static void WriteStatus(ImapResponseWriter writer, string name, MailboxStatus status, IReadOnlyList<StatusItem> items)
    {
        writer.WriteRaw("* STATUS "u8);
        writer.WriteMailboxName(name);
        writer.WriteRaw(" ("u8);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteSpace();
            }
            switch (items[i])
            {
                case StatusItem.Messages:
                    writer.WriteRaw("MESSAGES "u8);
                    writer.WriteNumber(status.Messages);
                    break;
                case StatusItem.UidNext:
                    writer.WriteRaw("UIDNEXT "u8);
                    writer.WriteNumber(status.UidNext);
                    break;
                case StatusItem.UidValidity:
                    writer.WriteRaw("UIDVALIDITY "u8);
                    writer.WriteNumber(status.UidValidity);
                    break;
                case StatusItem.Unseen:
                    writer.WriteRaw("UNSEEN "u8);
                    writer.WriteNumber(status.Unseen);
                    break;
                case StatusItem.Deleted:
                    writer.WriteRaw("DELETED "u8);
                    writer.WriteNumber(status.Deleted);
                    break;
                case StatusItem.Size:
                    writer.WriteRaw("SIZE "u8);
                    writer.WriteNumber(status.Size);
                    break;
                case StatusItem.Recent:
                    writer.WriteRaw("RECENT 0"u8);
                    break;
                default:
                    writer.WriteRaw("HIGHESTMODSEQ "u8);
                    writer.WriteNumber(status.HighestModSeq);
                    break;
            }
        }
        writer.WriteRaw(")\r\n"u8);
    }
}
