namespace Letterbox.Mail.Sorting;

/// <summary>
/// SORT (RFC 5256 §3): orders messages by a list of criteria, ties broken by mailbox order (sequence number).
/// </summary>
/// <remarks>
/// Each criterion becomes one <c>long</c> per message — a date, a size, or the rank of a string key among the
/// snapshot's distinct values (<see cref="SortSnapshot.Ranks"/>: strings are compared once per distinct value and
/// snapshot, never per message) — negated for REVERSE. The first criterion's values are sorted as primitive keys
/// (no comparer calls); only runs of equal first values are then ordered by the remaining criteria and the
/// sequence number. No LINQ; one array per criterion.
/// </remarks>
public static class MessageSorter
{
    /// <summary>
    /// Returns the indices of <paramref name="messages"/> (which are in mailbox order: ascending UID, i.e. sequence
    /// order) in sorted order. REVERSE reverses only its criterion, not the sequence-number tie-break (RFC 5256 §3).
    /// </summary>
    public static int[] Sort(IReadOnlyList<SortableMessage> messages, ReadOnlySpan<SortCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var snapshot = SortSnapshot.Build(messages);
        return Sort(snapshot, All(snapshot.Count), criteria);
    }

    /// <summary>
    /// Sorts the messages <paramref name="selected"/> of <paramref name="snapshot"/> (indices ascending, i.e. in
    /// mailbox order): returns positions into <paramref name="selected"/> in sorted order, ties by position
    /// (sequence number, RFC 5256 §3). O(m log m) for m selected messages, plus ranking a string key the first time
    /// the snapshot is sorted by it.
    /// </summary>
    public static int[] Sort(SortSnapshot snapshot, ReadOnlySpan<int> selected, ReadOnlySpan<SortCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var m = selected.Length;
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
        }
        if (m < 2 || criteria.Length == 0)
        {
            return order;
        }
        var values = new long[criteria.Length][];
        var bounds = new long[criteria.Length];
        for (var c = 0; c < criteria.Length; c++)
        {
            values[c] = Values(snapshot, selected, criteria[c].Key, out bounds[c]);
        }
        // Several keys, or one string key (its ranks are already dense): pack. One number key: sort it directly.
        if ((criteria.Length > 1 || bounds[0] >= 0) && SortComposite(values, bounds, criteria, order))
        {
            return order;
        }
        for (var c = 0; c < criteria.Length; c++)
        {
            if (criteria[c].Reverse)
            {
                var v = values[c];
                for (var i = 0; i < m; i++)
                {
                    v[i] = -v[i];
                }
            }
        }
        var first = (long[])values[0].Clone();
        Array.Sort(first, order);
        var rest = criteria.Length > 1 ? new Comparer(values) : null;
        for (var start = 0; start < m;)
        {
            var end = start + 1;
            while (end < m && first[end] == first[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                if (rest is null)
                {
                    Array.Sort(order, start, end - start);
                }
                else
                {
                    Array.Sort(order, start, end - start, rest);
                }
            }
            start = end;
        }
        return order;
    }

    /// <summary>0..count-1.</summary>
    internal static int[] All(int count)
    {
        var all = new int[count];
        for (var i = 0; i < count; i++)
        {
            all[i] = i;
        }
        return all;
    }

    /// <summary>
    /// Several criteria (or one string key): each becomes a dense rank (0..D-1, reversed as D-1-rank for REVERSE) and the ranks and the
    /// position are packed into one <c>long</c> per message — ((r1·D2 + r2)·D3 + …)·m + position — so one primitive
    /// sort orders by every criterion and then by sequence number. False (nothing done) when the packed range would
    /// not fit in 63 bits.
    /// </summary>
    private static bool SortComposite(long[][] values, long[] bounds, ReadOnlySpan<SortCriterion> criteria, int[] order)
    {
        var m = order.Length;
        for (var c = 0; c < values.Length; c++)
        {
            if (bounds[c] < 0)
            {
                bounds[c] = DenseRanks(values[c]);
            }
        }
        UInt128 range = (ulong)m;
        for (var c = 0; c < bounds.Length; c++)
        {
            range *= (ulong)Math.Max(bounds[c], 1);
            if (range > long.MaxValue)
            {
                return false;
            }
        }
        var packed = new long[m];
        for (var i = 0; i < m; i++)
        {
            long key = 0;
            for (var c = 0; c < values.Length; c++)
            {
                var rank = values[c][i];
                key = key * bounds[c] + (criteria[c].Reverse ? bounds[c] - 1 - rank : rank);
            }
            packed[i] = key * m + i;
        }
        Array.Sort(packed);
        for (var i = 0; i < m; i++)
        {
            order[i] = (int)(packed[i] % m);
        }
        return true;
    }

    /// <summary>Replaces <paramref name="values"/> by their dense ranks (equal values, equal ranks; ascending);
    /// returns how many distinct values there are.</summary>
    private static long DenseRanks(long[] values)
    {
        var keys = (long[])values.Clone();
        var positions = All(values.Length);
        Array.Sort(keys, positions);
        long rank = -1;
        for (var k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                rank++;
            }
            values[positions[k]] = rank;
        }
        return rank + 1;
    }

    /// <summary>One comparable value per selected message for <paramref name="key"/>; <paramref name="bound"/> is
    /// the exclusive upper bound of a string key's ranks (values are 0..bound-1), or -1 for a number.</summary>
    private static long[] Values(SortSnapshot snapshot, ReadOnlySpan<int> selected, SortKey key, out long bound)
    {
        bound = -1;
        var m = selected.Length;
        var values = new long[m];
        var numbers = key switch
        {
            SortKey.Arrival => snapshot.InternalDates,
            SortKey.Date => snapshot.SentDates,
            SortKey.Size => snapshot.Sizes,
            _ => null,
        };
        if (numbers is not null)
        {
            for (var i = 0; i < m; i++)
            {
                values[i] = numbers[selected[i]];
            }
            return values;
        }
        var kind = SortSnapshot.KindOf(key);
        var ranks = snapshot.Ranks(kind);
        bound = ranks.Length;
        var ids = snapshot.Ids[kind];
        for (var i = 0; i < m; i++)
        {
            values[i] = ranks[ids[selected[i]]];
        }
        return values;
    }

    /// <summary>Orders positions of one run (equal first criterion) by the other criteria, then by position.</summary>
    private sealed class Comparer(long[][] values) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            for (var c = 1; c < values.Length; c++)
            {
                var v = values[c];
                if (v[x] != v[y])
                {
                    return v[x] < v[y] ? -1 : 1;
                }
            }
            return x.CompareTo(y);
        }
    }
}
