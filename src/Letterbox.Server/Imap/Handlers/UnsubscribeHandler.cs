using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>UNSUBSCRIBE (RFC 9051 §6.3.8): OK also when the name was not subscribed.</summary>
public static class UnsubscribeHandler
{
    /// <summary>Unsubscribes.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, UnsubscribeCommand command, CancellationToken cancellationToken)
    {
        var name = MailboxNames.Canonicalize(command.Mailbox);
        await session.Store.SetSubscribedAsync(session.RequiredUser.Id, name, false, cancellationToken);
        return CommandResult.Ok("UNSUBSCRIBE completed");
    }
}
