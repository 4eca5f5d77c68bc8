using Letterbox.Mail.Search;
using Letterbox.Mail.Sorting;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>The messages a SORT or THREAD orders, with the number each is answered by.</summary>
/// <param name="Snapshot">The mailbox's sort columns (<see cref="MailboxSortCache"/>).</param>
/// <param name="Selected">Matching messages the session knows: indices into <paramref name="Snapshot"/>, ascending
/// (mailbox order).</param>
/// <param name="Numbers">Per selected message: its UID for the UID form, else its sequence number.</param>
/// <param name="UsesModSeq">The search keys include MODSEQ (RFC 7162 §3.1.9: SORT then reports the highest MODSEQ).</param>
internal sealed record SortInput(SortSnapshot Snapshot, int[] Selected, uint[] Numbers, bool UsesModSeq = false);

/// <summary>
/// The search step SORT and THREAD share (RFC 5256 §3: "first searches the mailbox … then returns the matching
/// messages …"): sequence-set keys resolved through the view as SEARCH does, the store's search for the matching
/// UIDs (skipped for ALL: the session's own UIDs), UIDs the session has not been told about dropped, then the
/// matches' columns from the store's <see cref="MailboxSortCache"/> (rows are read only for messages it has not
/// seen before).
/// </summary>
internal static class SortSearch
{
    /// <summary>Runs the search; null when a sequence number is out of range (the caller answers BAD).
    /// <paramref name="cacheMessages"/> bounds the store's sort cache when this call creates it
    /// (<see cref="ImapServerOptions.SortCacheMessages"/>).</summary>
    public static async Task<SortInput?> RunAsync(SelectedMailboxView view, SearchKey key, bool uid, int cacheMessages, CancellationToken cancellationToken)
    {
        var usesModSeq = false;
        var resolved = SearchHandler.Rewrite(view, key, ref usesModSeq);
        if (resolved is null)
        {
            return null;
        }
        IReadOnlyList<uint> known;
        if (resolved is AllKey)
        {
            known = view.Uids.ToArray();
        }
        else
        {
            known = KeepKnown(view, await view.Store.SearchAsync(view.MailboxId, resolved, cancellationToken));
        }
        var (snapshot, selected) = await MailboxSortCache.Of(view.Store, cacheMessages)
            .SelectAsync(view.MailboxId, view.UidValidity, known, view.Uids.Length, cancellationToken);
        // Selected messages are in UID order, a subset of the view's UIDs (one may have been expunged since): one
        // merge pass gives sequence numbers.
        var numbers = new uint[selected.Length];
        var uids = view.Uids;
        var j = 0;
        for (var i = 0; i < selected.Length; i++)
        {
            var selectedUid = snapshot.UidAt(selected[i]);
            while (uids[j] < selectedUid)
            {
                j++;
            }
            numbers[i] = uid ? selectedUid : (uint)(j + 1);
        }
        return new SortInput(snapshot, selected, numbers, usesModSeq);
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
