using Letterbox.Mail.Search;
using Letterbox.Mail.Sorting;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>The messages a SORT or THREAD orders, with the number each is answered by.</summary>
/// <param name="Messages">Matching messages the session knows, in mailbox (sequence) order, with their keys.</param>
/// <param name="Numbers">Per message: its UID for the UID form, else its sequence number.</param>
/// <param name="UsesModSeq">The search keys include MODSEQ (RFC 7162 §3.1.9: SORT then reports the highest MODSEQ).</param>
internal sealed record SortInput(IReadOnlyList<SortableMessage> Messages, uint[] Numbers, bool UsesModSeq = false);

/// <summary>
/// The search step SORT and THREAD share (RFC 5256 §3: "first searches the mailbox … then returns the matching
/// messages …"): sequence-set keys resolved through the view as SEARCH does, the store's search for the matching
/// UIDs, UIDs the session has not been told about dropped, then the keys of the rest read in one store call.
/// </summary>
internal static class SortSearch
{
    /// <summary>Runs the search; null when a sequence number is out of range (the caller answers BAD).</summary>
    public static async Task<SortInput?> RunAsync(SelectedMailboxView view, SearchKey key, bool uid, SortFields fields, CancellationToken cancellationToken)
    {
        var usesModSeq = false;
        var resolved = SearchHandler.Rewrite(view, key, ref usesModSeq);
        if (resolved is null)
        {
            return null;
        }
        var found = await view.Store.SearchAsync(view.MailboxId, resolved, cancellationToken);
        var known = KeepKnown(view, found);
        var rows = await view.Store.GetSortKeysAsync(view.MailboxId, known, fields, cancellationToken);
        // Rows are in UID order, a subset of the view's UIDs (one may have been expunged since): one merge pass.
        var numbers = new uint[rows.Count];
        var uids = view.Uids;
        var j = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            while (uids[j] < rows[i].Uid)
            {
                j++;
            }
            numbers[i] = uid ? rows[i].Uid : (uint)(j + 1);
        }
        return new SortInput(rows, numbers, usesModSeq);
    }

    /// <summary>The found UIDs (ascending) that are in the view.</summary>
    private static List<uint> KeepKnown(SelectedMailboxView view, IReadOnlyList<uint> found)
    {
        var known = view.Uids;
        var result = new List<uint>(Math.Min(found.Count, known.Length));
        var j = 0;
        for (var i = 0; i < found.Count && j < known.Length; i++)
        {
            while (j < known.Length && known[j] < found[i])
            {
                j++;
            }
            if (j < known.Length && known[j] == found[i])
            {
                result.Add(found[i]);
            }
        }
        return result;
    }
}
