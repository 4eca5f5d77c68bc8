using Letterbox.Imap.Commands;
using Letterbox.Mail.Mailboxes;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// CREATE (RFC 9051 §6.3.4) with the USE parameter (RFC 6154 §3). A trailing '/' is dropped; an existing name
/// answers NO [ALREADYEXISTS], an invalid one NO [CANNOT] (both via the store's refusal).
/// </summary>
public static class CreateHandler
{
    /// <summary>Creates the mailbox.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, CreateCommand command, CancellationToken cancellationToken)
    {
        var name = MailboxNames.Canonicalize(command.Mailbox);
        if (!MailboxName.IsValid(name, out var reason))
        {
            return CommandResult.No("CANNOT", reason!);
        }
        await session.Store.CreateMailboxAsync(session.RequiredUser.Id, name, command.SpecialUse, cancellationToken);
        return CommandResult.Ok("CREATE completed");
    }
}
