using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The result options SEARCH and SORT share once they have their matches in answer order (mailbox order for SEARCH,
/// sort order for SORT, RFC 5267 §3): which messages count as "returned" (for MODSEQ, RFC 4731 §3.2, and for SAVE,
/// RFC 5182 §2.4 and RFC 9394 §3.2), saving <c>$</c>, and writing the ESEARCH response (RFC 4731 §3.1, RFC 9394 §4).
/// </summary>
internal static class SearchResults
{
    /// <summary>
    /// The UIDs the result options return, ascending, or null when that is every match: ALL or COUNT asked for, or none
    /// of MIN, MAX and PARTIAL. Otherwise the MIN and/or MAX message (first/last of <paramref name="orderedUids"/>) and
    /// the PARTIAL slice — RFC 4731 §3.2 (MODSEQ "for the found message … for all messages being returned"), RFC 5182
    /// §2.4 and RFC 9394 §3.2 Table 1 (what <c>$</c> holds) give the same sets.
    /// </summary>
    /// <param name="options">The command's result options.</param>
    /// <param name="partial">The PARTIAL range, when <see cref="SearchReturnOptions.Partial"/> is set.</param>
    /// <param name="orderedUids">Every match's UID in answer order.</param>
    public static List<uint>? Returned(SearchReturnOptions options, PartialRange? partial, ReadOnlySpan<uint> orderedUids)
    {
        const SearchReturnOptions Picking = SearchReturnOptions.Min | SearchReturnOptions.Max | SearchReturnOptions.Partial;
        if ((options & (SearchReturnOptions.All | SearchReturnOptions.Count)) != 0 || (options & Picking) == 0)
        {
            return null;
        }
        var result = new List<uint>();
        if (orderedUids.Length == 0)
        {
            return result;
        }
        if ((options & SearchReturnOptions.Min) != 0)
        {
            result.Add(orderedUids[0]);
        }
        if ((options & SearchReturnOptions.Max) != 0)
        {
            result.Add(orderedUids[^1]);
        }
        if (partial is { } range)
        {
            var (start, count) = range.Slice(orderedUids.Length);
            for (var i = start; i < start + count; i++)
            {
                result.Add(orderedUids[i]);
            }
        }
        result.Sort();
        var kept = 0;
        for (var i = 0; i < result.Count; i++)
        {
            if (kept == 0 || result[kept - 1] != result[i])
            {
                result[kept++] = result[i];
            }
        }
        result.RemoveRange(kept, result.Count - kept);
        return result;
    }

    /// <summary>Sets <c>$</c> (RFC 5182 §2.1): the returned messages, or all matches when
    /// <paramref name="returned"/> is null.</summary>
    public static void Save(SelectedMailboxView view, List<uint>? returned, ReadOnlySpan<uint> ascendingUids) =>
        view.SavedSearch = returned ?? (IReadOnlyList<uint>)ascendingUids.ToArray();

    /// <summary>The highest MODSEQ among <paramref name="uids"/> (ascending), 0 when there are none.</summary>
    public static async ValueTask<ulong> HighestModSeqAsync(SelectedMailboxView view, List<uint> uids, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return 0;
        }
        var states = await view.Store.GetFlagsAsync(view.MailboxId, uids, 0, cancellationToken);
        var highest = 0UL;
        for (var i = 0; i < states.Count; i++)
        {
            highest = Math.Max(highest, states[i].ModSeq);
        }
        return highest;
    }

    /// <summary>Writes the ESEARCH response (RFC 4731 §3.1); also ESORT's (RFC 5267 §3.1), where the numbers are in
    /// sort order, so MIN/MAX are the first/last sorted and ALL and PARTIAL keep that order. PARTIAL repeats the
    /// requested range and gives the numbers in it, or NIL when it lies beyond the results (RFC 9394 §3.1). MODSEQ is
    /// written when <paramref name="highestModSeq"/> is not 0 (RFC 7162 §3.1.10).</summary>
    public static void WriteEsearch(ImapResponseWriter writer, string tag, bool uid, SearchReturnOptions options,
        ReadOnlySpan<uint> numbers, PartialRange? partial, ulong highestModSeq)
    {
        writer.WriteRaw("* ESEARCH (TAG "u8);
        writer.WriteString(tag);
        writer.WriteByte((byte)')');
        if (uid)
        {
            writer.WriteRaw(" UID"u8);
        }
        if (numbers.Length > 0 && (options & SearchReturnOptions.Min) != 0)
        {
            writer.WriteRaw(" MIN "u8);
            writer.WriteNumber(numbers[0]);
        }
        if (numbers.Length > 0 && (options & SearchReturnOptions.Max) != 0)
        {
            writer.WriteRaw(" MAX "u8);
            writer.WriteNumber(numbers[^1]);
        }
        if ((options & SearchReturnOptions.Count) != 0)
        {
            writer.WriteRaw(" COUNT "u8);
            writer.WriteNumber((uint)numbers.Length);
        }
        if (numbers.Length > 0 && (options & SearchReturnOptions.All) != 0)
        {
            writer.WriteRaw(" ALL "u8);
            writer.WriteSequenceSet(numbers);
        }
        if (partial is { } range)
        {
            WritePartial(writer, range, numbers);
        }
        if (highestModSeq != 0)
        {
            writer.WriteRaw(" MODSEQ "u8);
            writer.WriteNumber(highestModSeq);
        }
        writer.WriteCrlf();
    }

    /// <summary><c>SP "PARTIAL" SP "(" partial-range SP (sequence-set / "NIL") ")"</c> (RFC 9394 §4).</summary>
    private static void WritePartial(ImapResponseWriter writer, PartialRange range, ReadOnlySpan<uint> numbers)
    {
        writer.WriteRaw(" PARTIAL ("u8);
        WriteRangeEnd(writer, range.FromEnd, range.First);
        writer.WriteByte((byte)':');
        WriteRangeEnd(writer, range.FromEnd, range.Last);
        writer.WriteSpace();
        var (start, count) = range.Slice(numbers.Length);
        if (count == 0)
        {
            writer.WriteRaw("NIL"u8);
        }
        else
        {
            writer.WriteSequenceSet(numbers.Slice(start, count));
        }
        writer.WriteByte((byte)')');
    }

    private static void WriteRangeEnd(ImapResponseWriter writer, bool fromEnd, uint value)
    {
        if (fromEnd)
        {
            writer.WriteByte((byte)'-');
        }
        writer.WriteNumber(value);
    }
}
