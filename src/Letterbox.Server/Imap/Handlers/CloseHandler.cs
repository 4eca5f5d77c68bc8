using Letterbox.Imap.Commands;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// CLOSE (RFC 9051 §6.4.1): permanently removes \Deleted messages when the mailbox is read-write, sending no
/// EXPUNGE responses, and returns to the authenticated state. Nothing is removed after EXAMINE.
/// </summary>
public static class CloseHandler
{
    /// <summary>Expunges silently (read-write only) and deselects.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, CloseCommand command, CancellationToken cancellationToken)
    {
        if (session.SelectedMailbox is SelectedMailboxView { ReadOnly: false } view)
        {
            var expunged = await view.Store.ExpungeAsync(view.MailboxId, null, cancellationToken);
            view.RemoveExpunged(expunged, null);
        }
        await session.UnselectAsync();
        return CommandResult.Ok("CLOSE completed");
    }
}
