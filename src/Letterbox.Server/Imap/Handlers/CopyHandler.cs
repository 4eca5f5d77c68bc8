using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// COPY and UID COPY (RFC 9051 §6.4.7, RFC 4315 §3): copies the messages of the set to another mailbox and answers
/// <c>OK [COPYUID uidvalidity source-uids destination-uids]</c>. A missing target is <c>NO [TRYCREATE]</c>; an
/// empty resolved set (e.g. a UID set naming no message) is a plain OK.
/// </summary>
public static class CopyHandler
{
    /// <summary>Copies.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, CopyCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var pairs = new List<(int Seq, uint Uid)>();
        if (!view.TryResolve(command.Set, command.Uid, pairs))
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        var target = await FindTargetAsync(session, command.Mailbox, cancellationToken);
        if (target is null)
        {
            return CommandResult.No("TRYCREATE", "No such mailbox: create it first");
        }
        if (pairs.Count == 0)
        {
            return CommandResult.Ok("COPY completed (no messages)");
        }
        var result = await view.Store.CopyAsync(view.MailboxId, SelectedMailboxView.UidsOf(pairs), target.Id, cancellationToken);
        if (result.SourceUids.Count == 0)
        {
            return CommandResult.Ok("COPY completed (no messages)");
        }
        return new CommandResult(ResponseCondition.Ok, null, "COPY completed", w => w.WriteCopyUidCode(result));
    }

    /// <summary>The destination mailbox of COPY/MOVE, or null when it does not exist.</summary>
    internal static Task<MailboxInfo?> FindTargetAsync(ImapSession session, string name, CancellationToken cancellationToken)
        => session.Store.GetMailboxAsync(session.User!.Id, MailboxNames.Canonicalize(name), cancellationToken);
}
