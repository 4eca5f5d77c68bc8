using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Threading;

/// <summary>
/// THREAD ORDEREDSUBJECT (RFC 5256 §3, "poor man's threading"): messages sorted by base subject then sent date,
/// one thread per base subject whose first message is the root and every later one a child of it; threads ordered
/// by the sent date of their first message. Ties fall back to mailbox order.
/// </summary>
public static class OrderedSubjectThreader
{
    /// <summary>Threads <paramref name="messages"/> (in mailbox order; their <see cref="SortKeys.Subject"/> is read).</summary>
    public static ThreadTree Thread(IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var snapshot = SortSnapshot.Build(messages);
        return Thread(snapshot, MessageSorter.All(snapshot.Count));
    }

    /// <summary>Threads the messages <paramref name="selected"/> of <paramref name="snapshot"/> (indices ascending);
    /// the tree's message indices are positions into <paramref name="selected"/>. O(m log m).</summary>
    public static ThreadTree Thread(SortSnapshot snapshot, ReadOnlySpan<int> selected)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var n = selected.Length;
        var order = MessageSorter.Sort(snapshot, selected, [new SortCriterion(SortKey.Subject, false), new SortCriterion(SortKey.Date, false)]);
        var subjects = snapshot.Ids[SortSnapshot.SubjectKind];
        var firstChild = new int[n];
        var nextSibling = new int[n];
        var message = new int[n];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        var roots = new List<int>();
        var root = -1;
        var last = -1;
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            message[i] = i;
            if (root >= 0 && subjects[selected[i]] == subjects[selected[root]])
            {
                if (last == root)
                {
                    firstChild[root] = i;
                }
                else
                {
                    nextSibling[last] = i;
                }
                last = i;
                continue;
            }
            root = i;
            last = i;
            roots.Add(i);
        }
        var sortedRoots = roots.ToArray();
        Array.Sort(sortedRoots, new DateOrder(Dates(snapshot, selected)));
        return new ThreadTree(message, firstChild, nextSibling, sortedRoots);
    }

    /// <summary>Per position into <paramref name="selected"/>: the message's sent date.</summary>
    internal static long[] Dates(SortSnapshot snapshot, ReadOnlySpan<int> selected)
    {
        var dates = new long[selected.Length];
        var sent = snapshot.SentDates;
        for (var i = 0; i < dates.Length; i++)
        {
            dates[i] = sent[selected[i]];
        }
        return dates;
    }

    /// <summary>Orders message positions by sent date, then mailbox order.</summary>
    internal sealed class DateOrder(long[] dates) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var a = dates[x];
            var b = dates[y];
            return a != b ? a.CompareTo(b) : x.CompareTo(y);
        }
    }
}
