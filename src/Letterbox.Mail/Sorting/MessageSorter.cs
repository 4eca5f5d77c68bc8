namespace Letterbox.Mail.Sorting;

/// <summary>
/// SORT (RFC 5256 §3): orders messages by a list of criteria, ties broken by mailbox order (sequence number).
/// </summary>
/// <remarks>
/// Each criterion becomes one <c>long</c> per message — a date, a size, or the rank of a string key among the
/// distinct values (so strings are compared once per distinct value, not per comparison) — negated for REVERSE.
/// An index permutation is then sorted with one comparer; no LINQ, one array per criterion.
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
        var n = messages.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        if (n < 2 || criteria.Length == 0)
        {
            return order;
        }
        var values = new long[criteria.Length][];
        for (var c = 0; c < criteria.Length; c++)
        {
            values[c] = Values(messages, criteria[c].Key);
            if (criteria[c].Reverse)
            {
                var v = values[c];
                for (var i = 0; i < n; i++)
                {
                    v[i] = -v[i];
                }
            }
        }
        Array.Sort(order, new Comparer(values));
        return order;
    }

    /// <summary>One comparable value per message for <paramref name="key"/>.</summary>
    internal static long[] Values(IReadOnlyList<SortableMessage> messages, SortKey key)
    {
        var n = messages.Count;
        var values = new long[n];
        switch (key)
        {
            case SortKey.Arrival:
                for (var i = 0; i < n; i++) values[i] = messages[i].InternalDate;
                return values;
            case SortKey.Date:
                for (var i = 0; i < n; i++) values[i] = messages[i].SentDate;
                return values;
            case SortKey.Size:
                for (var i = 0; i < n; i++) values[i] = messages[i].Size;
                return values;
        }
        var strings = new string[n];
        for (var i = 0; i < n; i++)
        {
            var keys = messages[i].Keys;
            strings[i] = key switch
            {
                SortKey.Cc => keys.Cc,
                SortKey.From => keys.From,
                SortKey.Subject => keys.Subject,
                SortKey.To => keys.To,
                SortKey.DisplayFrom => keys.DisplayFrom,
                _ => keys.DisplayTo,
            };
        }
        Rank(strings, values);
        return values;
    }

    /// <summary>Fills <paramref name="ranks"/> with each string's position among the distinct strings in
    /// <see cref="UnicodeCasemap.Compare"/> order (equal keys, equal ranks).</summary>
    internal static void Rank(string[] strings, long[] ranks)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<string>();
        var id = new int[strings.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            if (!ids.TryGetValue(strings[i], out var k))
            {
                k = distinct.Count;
                ids.Add(strings[i], k);
                distinct.Add(strings[i]);
            }
            id[i] = k;
        }
        var sorted = distinct.ToArray();
        var positions = new int[sorted.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }
        Array.Sort(sorted, positions, StringKeyComparer.Instance);
        var rankOf = new int[sorted.Length];
        for (var r = 0; r < positions.Length; r++)
        {
            rankOf[positions[r]] = r;
        }
        for (var i = 0; i < strings.Length; i++)
        {
            ranks[i] = rankOf[id[i]];
        }
    }

    private sealed class StringKeyComparer : IComparer<string>
    {
        public static readonly StringKeyComparer Instance = new();

        public int Compare(string? x, string? y) => UnicodeCasemap.Compare(x, y);
    }

    private sealed class Comparer(long[][] values) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            for (var c = 0; c < values.Length; c++)
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
