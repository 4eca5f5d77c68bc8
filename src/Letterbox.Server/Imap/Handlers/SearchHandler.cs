using System.Buffers;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Search;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4) with RETURN (ESEARCH, RFC 4731), SAVE and <c>$</c>
/// (SEARCHRES, RFC 5182), PARTIAL (RFC 9394 §3.1) and MODSEQ (RFC 7162 §3.1.5). Every sequence-set key in the tree is rewritten to a
/// <see cref="UidSetKey"/> through the view (sequence numbers with <c>*</c> = the message count, UIDs with <c>*</c> =
/// the highest UID), the store evaluates the tree, and UIDs the client has not been told about are dropped.
/// </summary>
/// <remarks>
/// Answers <c>* SEARCH n…</c> (ascending, sequence numbers or UIDs; <c>(MODSEQ m)</c> appended when a MODSEQ key
/// was used), or with RETURN <c>* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT c ALL set</c> where MIN, MAX and ALL
/// are left out when nothing matched, and <c>PARTIAL (range set-or-NIL)</c> for PARTIAL. SAVE alone sends no ESEARCH;
/// with MIN/MAX/PARTIAL but neither ALL nor COUNT it saves just the returned messages, and MODSEQ is the highest of
/// those (<see cref="SearchResults.Returned"/>). A sequence number beyond the mailbox is BAD, which leaves <c>$</c>
/// unchanged even with SAVE (RFC 9051 §6.4.4.1: a BAD SEARCH "MUST NOT change the search result variable").
/// </remarks>
public static class SearchHandler
{
    /// <summary>Searches and answers.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, SearchCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        // IMAP4rev2 clients get ESEARCH even without RETURN: a bare SEARCH means RETURN (ALL) (RFC 9051 §6.4.4).
        var returnOptions = command.Return
            ?? ((session.Enabled & EnabledExtensions.Imap4Rev2) != 0 ? SearchReturnOptions.All : null);
        var options = returnOptions ?? SearchReturnOptions.None;
        var usesModSeq = false;
        var key = Rewrite(view, command.Key, ref usesModSeq);
        if (key is null)
        {
            // A BAD SEARCH leaves $ as it was, also with SAVE (RFC 9051 §6.4.4.1, RFC 5182 §2.1).
            return CommandResult.Bad("Invalid message sequence number");
        }
        if (usesModSeq)
        {
            // MODSEQ in SEARCH is CONDSTORE-enabling (RFC 7162 §3.1).
            CondstoreEnabling.Enable(session);
        }
        var found = await view.Store.SearchAsync(view.MailboxId, key, cancellationToken);
        var uids = ArrayPool<uint>.Shared.Rent(Math.Max(1, found.Count));
        var seqs = ArrayPool<uint>.Shared.Rent(Math.Max(1, found.Count));
        try
        {
            var count = KeepKnown(view, found, uids, seqs);
            var returned = SearchResults.Returned(options, command.Partial, uids.AsSpan(0, count));
            var highestModSeq = usesModSeq && count > 0
                ? await SearchResults.HighestModSeqAsync(view, returned ?? ListOf(uids, count), cancellationToken)
                : 0UL;
            var numbers = command.Uid ? uids.AsSpan(0, count) : seqs.AsSpan(0, count);
            if ((options & SearchReturnOptions.Save) != 0)
            {
                SearchResults.Save(view, returned, uids.AsSpan(0, count));
            }
            if (returnOptions is null)
            {
                WriteSearch(session.Writer, numbers, highestModSeq);
            }
            else if ((options & ~SearchReturnOptions.Save) != 0)
            {
                SearchResults.WriteEsearch(session.Writer, session.CurrentTag, command.Uid, options, numbers, command.Partial, highestModSeq);
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(uids);
            ArrayPool<uint>.Shared.Return(seqs);
        }
        return CommandResult.Ok(command.Uid ? "UID SEARCH completed" : "SEARCH completed");
    }

    /// <summary>Returns the tree with every <see cref="SequenceSetKey"/> resolved to a <see cref="UidSetKey"/>, or
    /// null when a sequence number is out of range.</summary>
    internal static SearchKey? Rewrite(SelectedMailboxView view, SearchKey key, ref bool usesModSeq)
    {
        switch (key)
        {
            case SequenceSetKey s:
                var pairs = new List<(int Seq, uint Uid)>();
                return view.TryResolve(s.Set, s.IsUid, pairs) ? new UidSetKey(SelectedMailboxView.UidsOf(pairs)) : null;
            case AndKey and:
                var keys = new SearchKey[and.Keys.Count];
                for (var i = 0; i < keys.Length; i++)
                {
                    var rewritten = Rewrite(view, and.Keys[i], ref usesModSeq);
                    if (rewritten is null)
                    {
                        return null;
                    }
                    keys[i] = rewritten;
                }
                return new AndKey(keys);
            case OrKey or:
                var left = Rewrite(view, or.Left, ref usesModSeq);
                var right = left is null ? null : Rewrite(view, or.Right, ref usesModSeq);
                return right is null ? null : new OrKey(left!, right);
            case NotKey not:
                var inner = Rewrite(view, not.Key, ref usesModSeq);
                return inner is null ? null : new NotKey(inner);
            case ModSeqKey:
                usesModSeq = true;
                return key;
            default:
                return key;
        }
    }

    /// <summary>Keeps the found UIDs that are in the view (both ascending: one merge pass), filling UIDs and
    /// sequence numbers; returns how many.</summary>
    private static int KeepKnown(SelectedMailboxView view, IReadOnlyList<uint> found, uint[] uids, uint[] seqs)
    {
        var known = view.Uids;
        var count = 0;
        var j = 0;
        for (var i = 0; i < found.Count; i++)
        {
            var uid = found[i];
            while (j < known.Length && known[j] < uid)
            {
                j++;
            }
            if (j == known.Length)
            {
                break;
            }
            if (known[j] == uid)
            {
                uids[count] = uid;
                seqs[count] = (uint)(j + 1);
                count++;
            }
        }
        return count;
    }

    private static List<uint> ListOf(uint[] uids, int count)
    {
        var list = new List<uint>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(uids[i]);
        }
        return list;
    }

    private static void WriteSearch(ImapResponseWriter writer, ReadOnlySpan<uint> numbers, ulong highestModSeq)
    {
        writer.WriteRaw("* SEARCH"u8);
        for (var i = 0; i < numbers.Length; i++)
        {
            writer.WriteSpace();
            writer.WriteNumber(numbers[i]);
        }
        if (highestModSeq != 0)
        {
            writer.WriteRaw(" (MODSEQ "u8);
            writer.WriteNumber(highestModSeq);
            writer.WriteByte((byte)')');
        }
        writer.WriteCrlf();
    }
}
