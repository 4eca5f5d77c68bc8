using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>SUBSCRIBE (RFC 9051 §6.3.7): adds the name to the subscriptions (the mailbox need not exist).</summary>
public static class SubscribeHandler
{
    /// <summary>Subscribes.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, SubscribeCommand command, CancellationToken cancellationToken)
    {
        var name = MailboxNames.Canonicalize(command.Mailbox);
        if (name.Length == 0)
        {
            return CommandResult.No("CANNOT", "Invalid mailbox name");
        }
        await session.Store.SetSubscribedAsync(session.RequiredUser.Id, name, true, cancellationToken);
        return CommandResult.Ok("SUBSCRIBE completed");
    }
}
