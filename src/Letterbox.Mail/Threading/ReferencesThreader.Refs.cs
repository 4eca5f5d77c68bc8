using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Threading;

/// <summary>
/// THREAD REFS (draft-ietf-morg-inthread-01, "The IMAP SEARCH=INTHREAD and THREAD=REFS Extensions", the THREAD=REFS
/// section): REFERENCES (RFC 5256 §3) steps 1–3 unchanged — links from Message-ID, References and In-Reply-To, dummy
/// parents, pruning — then no gathering by base subject (step 5 is not done), siblings sorted by sent date as in step 6,
/// and the threads sorted by their most recent message: the thread with the newest message comes last.
/// </summary>
/// <remarks>
/// The draft expired as a work in progress; Dovecot, which advertises THREAD=REFS, orders the same way (threads by the
/// newest sent date anywhere in the thread, children by their own sent date). Ties between threads go by the mailbox
/// order of their newest message.
/// </remarks>
public sealed partial class ReferencesThreader
{
    /// <summary>Threads <paramref name="messages"/> (in mailbox order) with the REFS algorithm; only the sent date,
    /// Message-ID and references of their <see cref="SortKeys"/> are read (no subject).</summary>
    public static ThreadTree ThreadRefs(IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var snapshot = SortSnapshot.Build(messages);
        return ThreadRefs(snapshot, MessageSorter.All(snapshot.Count));
    }

    /// <summary>Threads the messages <paramref name="selected"/> of <paramref name="snapshot"/> (indices ascending)
    /// with the REFS algorithm; the tree's message indices are positions into <paramref name="selected"/>.</summary>
    public static ThreadTree ThreadRefs(SortSnapshot snapshot, ReadOnlySpan<int> selected)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new ReferencesThreader(snapshot, selected, refs: true).Run();
    }

    /// <summary>REFS after step 3: sorts siblings by sent date (deepest first), then the threads by the sent date of
    /// the newest message each holds.</summary>
    private ThreadTree FinishRefs(List<int> roots)
    {
        var top = roots.ToArray();
        var order = PreOrder(top);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            SortChildren(order[i]);
        }
        // PreOrder lists each thread's nodes together, threads in root order: one pass finds each thread's newest.
        var newest = new (long SentDate, int Message)[top.Length];
        var thread = -1;
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            if (thread + 1 < top.Length && top[thread + 1] == node)
            {
                thread++;
                newest[thread] = (long.MinValue, -1);
            }
            var message = _message[node];
            if (message < 0)
            {
                continue;
            }
            var key = (_dates[message], message);
            if (key.CompareTo(newest[thread]) > 0)
            {
                newest[thread] = key;
            }
        }
        Array.Sort(newest, top);
        return Freeze(top);
    }
}
