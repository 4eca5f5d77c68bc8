using Letterbox.Imap.Commands;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The SORT answers beyond a plain <c>* SORT n…</c>: RETURN options (ESORT, RFC 5267 §3) including SAVE (RFC 5182 §2.4:
/// <c>$</c> holds the returned messages, order irrelevant) and PARTIAL (RFC 9394 §3.1, counted in sort order), and the
/// highest MODSEQ when the search used a MODSEQ key (RFC 7162 §3.1.9 <c>* SORT … (MODSEQ n)</c>, §3.1.10 ESEARCH
/// <c>MODSEQ n</c>).
/// </summary>
internal static class SortReturn
{
    /// <summary>Saves and answers for a sorted result.</summary>
    /// <param name="session">The session (writer, tag).</param>
    /// <param name="view">The selected mailbox (for <c>$</c> and MODSEQs).</param>
    /// <param name="command">The SORT command.</param>
    /// <param name="input">The matches in UID order.</param>
    /// <param name="order">Positions into the input's selection in sort order.</param>
    /// <param name="sorted">The answer numbers (UIDs or sequence numbers) in sort order.</param>
    /// <param name="cancellationToken">Cancels the MODSEQ read.</param>
    public static async ValueTask AnswerAsync(ImapSession session, SelectedMailboxView view, SortCommand command,
        SortInput input, int[] order, uint[] sorted, CancellationToken cancellationToken)
    {
        var options = command.Return ?? SearchReturnOptions.None;
        var count = input.Selected.Length;
        var ascending = new uint[count];
        var ordered = new uint[count];
        for (var i = 0; i < count; i++)
        {
            ascending[i] = input.Snapshot.UidAt(input.Selected[i]);
            ordered[i] = input.Snapshot.UidAt(input.Selected[order[i]]);
        }
        var returned = SearchResults.Returned(options, command.Partial, ordered);
        var highestModSeq = input.UsesModSeq && count > 0
            ? await SearchResults.HighestModSeqAsync(view, returned ?? [.. ascending], cancellationToken)
            : 0UL;
        if ((options & SearchReturnOptions.Save) != 0)
        {
            SearchResults.Save(view, returned, ascending);
        }
        if (command.Return is null)
        {
            session.Writer.WriteSort(sorted, highestModSeq);
        }
        else if ((options & ~SearchReturnOptions.Save) != 0)
        {
            SearchResults.WriteEsearch(session.Writer, session.CurrentTag, command.Uid, options, sorted, command.Partial, highestModSeq);
        }
    }
}
