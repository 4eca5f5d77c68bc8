using Letterbox.Imap.Commands;
using Letterbox.Mail.Sorting;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// SORT and UID SORT (RFC 5256 §3) with DISPLAYFROM/DISPLAYTO (RFC 5957) and RETURN (ESORT, RFC 5267 §3).
/// Searches like SEARCH, takes the matches' delivery-time keys from the mailbox's in-memory sort columns, orders them with
/// <see cref="MessageSorter"/> (ties by sequence number) and answers <c>* SORT n…</c>, or with RETURN
/// <c>* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT c ALL set</c> where MIN/MAX are the first/last in sort order and
/// ALL keeps the sort order (ranges only where numbers ascend by one, RFC 5267 §3.2). SAVE, PARTIAL and MODSEQ are
/// in <see cref="SortReturn"/>.
/// </summary>
public static class SortHandler
{
    /// <summary>Sorts and answers.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, SortCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var criteria = new SortCriterion[command.Criteria.Count];
        for (var i = 0; i < criteria.Length; i++)
        {
            criteria[i] = command.Criteria[i];
        }
        var input = await SortSearch.RunAsync(view, command.Key, command.Uid, session.Options.SortCacheMessages, cancellationToken);
        if (input is null)
        {
            // $ stays as it was, also with SAVE: a BAD command does not change it (RFC 5182 §2.1).
            return CommandResult.Bad("Invalid message sequence number");
        }
        var order = MessageSorter.Sort(input.Snapshot, input.Selected, criteria);
        var sorted = new uint[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = input.Numbers[order[i]];
        }
        if (command.Return is null && !input.UsesModSeq)
        {
            session.Writer.WriteSort(sorted);
        }
        else
        {
            await SortReturn.AnswerAsync(session, view, command, input, order, sorted, cancellationToken);
        }
        return CommandResult.Ok(command.Uid ? "UID SORT completed" : "SORT completed");
    }
}
