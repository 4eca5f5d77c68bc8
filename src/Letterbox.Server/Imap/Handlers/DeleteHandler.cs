using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>DELETE (RFC 9051 §6.3.5): NO [NONEXISTENT] when missing, NO [CANNOT] for INBOX. Children stay.</summary>
public static class DeleteHandler
{
    /// <summary>Deletes the mailbox.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, DeleteCommand command, CancellationToken cancellationToken)
    {
        var name = MailboxNames.Canonicalize(command.Mailbox);
        if (name == "INBOX")
        {
            return CommandResult.No("CANNOT", "INBOX cannot be deleted");
        }
        await session.Store.DeleteMailboxAsync(session.RequiredUser.Id, name, cancellationToken);
        return CommandResult.Ok("DELETE completed");
    }
}
