using Letterbox.Imap.Commands;
using Letterbox.Server.Imap.Notify;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// NOTIFY SET / NOTIFY NONE (RFC 5465 §3.1). SET replaces the session's watch: it registers on the user's change
/// feed, writes <c>* STATUS</c> for every watched mailbox when the STATUS indicator is given, and from then on the
/// connection writes notifications whenever no command is in progress (and at the end of each command, and in
/// IDLE). The end-of-command sync makes SET an implicit NOOP for the selected mailbox, as §3.1 requires.
/// </summary>
/// <remarks>Unsupported events (MailboxMetadataChange, ServerMetadataChange, unknown names) are refused with
/// <c>NO [BADEVENT (…)]</c> listing the supported ones (§3.1); grammar errors are BAD from the parser.</remarks>
public static class NotifyHandler
{
    private const string BadEventCode = "BADEVENT (" + NotifyCommand.SupportedEventNames + ")";

    /// <summary>Sets or clears the session's notifications.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, NotifyCommand command, CancellationToken cancellationToken)
    {
        if (!command.Set)
        {
            session.StopNotify();
            return CommandResult.Ok("NOTIFY completed");
        }
        for (var i = 0; i < command.Groups.Count; i++)
        {
            if (command.Groups[i].UnsupportedEvents.Count > 0)
            {
                return CommandResult.No(BadEventCode, "Unsupported event " + command.Groups[i].UnsupportedEvents[0]);
            }
        }
        session.StopNotify();
        session.Notify = await NotifyWatch.StartAsync(session, command, cancellationToken);
        return CommandResult.Ok("NOTIFY completed");
    }
}
