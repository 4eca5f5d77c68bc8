using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// MOVE and UID MOVE (RFC 6851 §3–4, RFC 9051 §6.4.8): moves the messages atomically, then writes
/// <c>* OK [COPYUID uidvalidity source-uids destination-uids]</c> untagged, then <c>* n EXPUNGE</c> for each moved
/// message (highest first; MOVE may send EXPUNGE even in its sequence-number form, RFC 6851 §4.3), then the tagged
/// OK. A missing target is <c>NO [TRYCREATE]</c>; after EXAMINE the answer is <c>NO [READ-ONLY]</c>. Once QRESYNC is
/// enabled the removals are one <c>* VANISHED uid-set</c>, and with CONDSTORE on the tagged OK carries
/// <c>[HIGHESTMODSEQ n]</c> (RFC 6851 §4.4).
/// </summary>
public static class MoveHandler
{
    /// <summary>Moves.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, MoveCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var pairs = new List<(int Seq, uint Uid)>();
        if (!view.TryResolve(command.Set, command.Uid, pairs))
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        if (view.ReadOnly)
        {
            return CommandResult.No("READ-ONLY", "Mailbox was opened with EXAMINE: messages cannot be moved out");
        }
        var target = await CopyHandler.FindTargetAsync(session, command.Mailbox, cancellationToken);
        if (target is null)
        {
            return CommandResult.No("TRYCREATE", "No such mailbox: create it first");
        }
        if (pairs.Count == 0)
        {
            return CommandResult.Ok("MOVE completed (no messages)");
        }
        var result = await view.Store.MoveAsync(view.MailboxId, SelectedMailboxView.UidsOf(pairs), target.Id, cancellationToken);
        if (result.SourceUids.Count == 0)
        {
            return CommandResult.Ok("MOVE completed (no messages)");
        }
        var writer = session.Writer;
        writer.WriteStatusStart(null, ResponseCondition.Ok);
        writer.WriteCopyUidCode(result);
        writer.WriteText("Moved");
        writer.WriteCrlf();
        var moved = new uint[result.SourceUids.Count];
        for (var i = 0; i < moved.Length; i++)
        {
            moved[i] = result.SourceUids[i];
        }
        Array.Sort(moved);
        view.RemoveExpunged(moved, writer);
        return view.Condstore ? CondstoreEnabling.OkWithHighestModSeq(view, "MOVE completed") : CommandResult.Ok("MOVE completed");
    }
}
