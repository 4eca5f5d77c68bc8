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
        var n = messages.Count;
        var order = MessageSorter.Sort(messages, [new SortCriterion(SortKey.Subject, false), new SortCriterion(SortKey.Date, false)]);
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
            if (root >= 0 && string.Equals(messages[i].Keys.Subject, messages[root].Keys.Subject, StringComparison.Ordinal))
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
        Array.Sort(sortedRoots, new DateOrder(messages));
        return new ThreadTree(message, firstChild, nextSibling, sortedRoots);
    }

    /// <summary>Orders message indices by sent date, then mailbox order.</summary>
    internal sealed class DateOrder(IReadOnlyList<SortableMessage> messages) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var a = messages[x].SentDate;
            var b = messages[y].SentDate;
            return a != b ? a.CompareTo(b) : x.CompareTo(y);
        }
    }
}
