using System.IO.Pipelines;
using Letterbox.Imap.Commands;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap.Fetch;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9; RFC 7162 §3.1.4 CHANGEDSINCE): resolves the set through the
/// selected-mailbox view, plans the store calls once (<see cref="FetchPlan"/>) and streams one
/// <c>* n FETCH (…)</c> per message (<see cref="FetchRunner"/>). <c>UID FETCH … (PARTIAL m:n)</c> (RFC 9394 §3.3)
/// answers only for that range of the set's messages in UID order (<c>-1:-3</c>: the last three), before CHANGEDSINCE
/// is applied.
/// </summary>
/// <remarks>
/// <para>Sequence numbers: 0 or above the message count → <c>BAD Invalid message sequence number</c>, except a
/// set made only of <c>1:*</c> or <c>*</c> in an empty mailbox, which is answered OK with no data
/// (Dovecot answers BAD there; clients that probe with <c>1:*</c> expect no error). UIDs that do not exist are
/// skipped (RFC 9051 §6.4.9), so a UID FETCH may answer OK with no data.</para>
/// <para>A MODSEQ item or CHANGEDSINCE turns CONDSTORE on for the connection (RFC 7162 §3.1); from then on every
/// FETCH response carries UID and MODSEQ. <c>UID FETCH … (CHANGEDSINCE n VANISHED)</c> first writes
/// <c>* VANISHED (EARLIER) uids</c> for the set's messages expunged after n (§3.2.6); without ENABLE QRESYNC it is
/// BAD.</para>
/// </remarks>
public static class FetchHandler
{
    /// <summary>Writes the FETCH responses and answers OK, or BAD for an invalid sequence number.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, FetchCommand command, CancellationToken cancellationToken)
    {
        if (session.SelectedMailbox is not SelectedMailboxView view)
        {
            return CommandResult.Bad("No mailbox selected");
        }
        var messages = new List<(int Seq, uint Uid)>();
        if (!command.Uid && view.Count == 0 && OnlyStarRanges(command.Set))
        {
            return Completed(command);
        }
        if (!view.TryResolve(command.Set, command.Uid, messages))
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        if (command.Partial is { } partial)
        {
            // RFC 9394 §3.3: only the range's messages of the set (ascending UIDs), before CHANGEDSINCE narrows them.
            var (start, count) = partial.Slice(messages.Count);
            messages = messages.GetRange(start, count);
        }

        if (command.Vanished && (session.Enabled & EnabledExtensions.QResync) == 0)
        {
            return CommandResult.Bad("VANISHED needs ENABLE QRESYNC first (RFC 7162 §3.2.6)");
        }
        var condstore = view.Condstore || (session.Enabled & EnabledExtensions.Condstore) != 0;
        var plan = FetchPlan.Create(command, condstore);
        if (plan.EnablesCondstore)
        {
            CondstoreEnabling.Enable(session);
        }
        if (command.Vanished)
        {
            // VANISHED (EARLIER) comes before any FETCH response (RFC 7162 §3.2.6).
            await view.WriteVanishedEarlierAsync(command.Set, command.ChangedSince!.Value, session.Writer, cancellationToken);
        }
        if (messages.Count > 0)
        {
            var output = session.Writer.Output as PipeWriter
                ?? throw new InvalidOperationException("FETCH needs the session's writer to write to a PipeWriter.");
            await FetchRunner.RunAsync(
                view.Store, view.MailboxId, view.ReadOnly, plan, messages, session.Writer, output, view.NoteFlagsSent, cancellationToken);
        }
        return Completed(command);
    }

    private static CommandResult Completed(FetchCommand command) =>
        CommandResult.Ok(command.Uid ? "UID FETCH completed" : "FETCH completed");

    // True when every range is 1:*, *:1 or *: in an empty mailbox these name nothing rather than a bad number.
    private static bool OnlyStarRanges(SequenceSet set)
    {
        var ranges = set.Ranges;
        if (set.IsSavedResult || ranges.Count == 0)
        {
            return false;
        }
        for (var i = 0; i < ranges.Count; i++)
        {
            var (start, end) = ranges[i];
            var ok = (start == SequenceSet.Star && (end == SequenceSet.Star || end == 1))
                || (end == SequenceSet.Star && start == 1);
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
