using Letterbox.Imap.Commands;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): permanently removes \Deleted messages — with a UID
/// set, only those in the set — and writes <c>* n EXPUNGE</c> for each, highest sequence number first so every
/// number is valid when it is sent (§7.5.1). After EXAMINE: <c>NO [READ-ONLY]</c>. Once QRESYNC is enabled the
/// removals are one <c>* VANISHED uid-set</c> (RFC 7162 §3.2.7, §3.2.9); with CONDSTORE on, a tagged OK after
/// removals carries <c>[HIGHESTMODSEQ n]</c>.
/// </summary>
public static class ExpungeHandler
{
    /// <summary>Expunges and reports.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, ExpungeCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        if (view.ReadOnly)
        {
            return CommandResult.No("READ-ONLY", "Mailbox was opened with EXAMINE: nothing can be expunged");
        }
        List<uint>? uids = null;
        if (command.UidSet is { } set)
        {
            var pairs = new List<(int Seq, uint Uid)>();
            view.TryResolve(set, isUid: true, pairs);
            if (pairs.Count == 0)
            {
                return CommandResult.Ok("UID EXPUNGE completed");
            }
            uids = SelectedMailboxView.UidsOf(pairs);
        }
        var expunged = await view.Store.ExpungeAsync(view.MailboxId, uids, cancellationToken);
        view.RemoveExpunged(expunged, session.Writer);
        var text = uids is null ? "EXPUNGE completed" : "UID EXPUNGE completed";
        return expunged.Count > 0 && view.Condstore ? CondstoreEnabling.OkWithHighestModSeq(view, text) : CommandResult.Ok(text);
    }
}
