using Letterbox.Imap.Commands;
using Letterbox.Mail.Messages;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// APPEND (RFC 9051 §6.3.12, MULTIAPPEND RFC 3502) into an existing mailbox: NO [TRYCREATE] otherwise;
/// <c>OK [APPENDUID uidvalidity uid-set]</c> (RFC 4315 §3) on success. The staged literals are always disposed
/// (a committed one is kept by the store; an uncommitted one is deleted).
/// </summary>
public static class AppendHandler
{
    /// <summary>Appends the staged messages atomically.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, AppendCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var name = MailboxNames.Canonicalize(command.Mailbox);
            var mailbox = await session.Store.GetMailboxAsync(session.RequiredUser.Id, name, cancellationToken);
            if (mailbox is null)
            {
                return CommandResult.No("TRYCREATE", "Mailbox does not exist");
            }
            var requests = new AppendRequest[command.Messages.Count];
            for (var i = 0; i < requests.Length; i++)
            {
                var message = command.Messages[i];
                requests[i] = new AppendRequest(message.Message, message.Flags, message.Keywords, message.InternalDate);
            }
            var result = await session.Store.AppendAsync(mailbox.Id, requests, cancellationToken);
            return new CommandResult(Letterbox.Imap.Responses.ResponseCondition.Ok, null, "APPEND completed", writer => writer.WriteAppendUidCode(result));
        }
        finally
        {
            for (var i = 0; i < command.Messages.Count; i++)
            {
                await command.Messages[i].Message.DisposeAsync();
            }
        }
    }
}
