using Letterbox.Imap.Commands;
using Letterbox.Mail.Mailboxes;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>RENAME (RFC 9051 §6.3.6): renames a mailbox and its children; renaming INBOX moves its messages into
/// the new mailbox. NO [NONEXISTENT] / [ALREADYEXISTS] / [CANNOT] via the store.</summary>
public static class RenameHandler
{
    /// <summary>Renames the mailbox.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, RenameCommand command, CancellationToken cancellationToken)
    {
        var from = MailboxNames.Canonicalize(command.From);
        var to = MailboxNames.Canonicalize(command.To);
        if (!MailboxName.IsValid(to, out var reason))
        {
            return CommandResult.No("CANNOT", reason!);
        }
        if (to == "INBOX")
        {
            return CommandResult.No("ALREADYEXISTS", "INBOX already exists");
        }
        await session.Store.RenameMailboxAsync(session.RequiredUser.Id, from, to, cancellationToken);
        return CommandResult.Ok("RENAME completed");
    }
}
