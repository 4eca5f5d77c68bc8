namespace Letterbox.Mail.Sorting;

/// <summary>
/// The messages of one mailbox as SORT and THREAD read them (RFC 5256 §3), column by column: per message (index
/// 0..<see cref="Count"/>-1, ascending UID) its UID, INTERNALDATE, size, sent date, reply flag, and every string key
/// interned to a small integer id — equal strings, equal ids — so sorting compares integers and threading indexes
/// arrays instead of hashing strings. String keys are ranked (i;unicode-casemap order, RFC 5051) once per snapshot
/// and key, lazily.
/// </summary>
/// <remarks>
/// A snapshot never changes. <see cref="Append"/> returns a new, longer snapshot that shares the columns when it
/// extends the newest snapshot of its storage (amortised O(new messages)); readers of the older snapshot are not
/// affected, since they never read past their own count. <see cref="Append"/> must not run concurrently on snapshots
/// of the same storage (<see cref="MailboxSortCache"/> serialises it).
/// </remarks>
public sealed class SortSnapshot
{
    /// <summary>The string keys, in the order of <see cref="SortColumns.Ids"/>.</summary>
    internal const int StringKinds = 6;

    internal const int SubjectKind = 0;

    private readonly SortColumns _columns;
    private readonly int[] _distinct;
    private readonly int[]?[] _ranks = new int[StringKinds][];

    private SortSnapshot(SortColumns columns)
    {
        _columns = columns;
        Count = columns.Count;
        Uids = columns.Uids;
        InternalDates = columns.InternalDates;
        Sizes = columns.Sizes;
        SentDates = columns.SentDates;
        Replies = columns.Replies;
        Ids = (int[][])columns.Ids.Clone();
        Strings = (string[][])columns.Strings.Clone();
        _distinct = (int[])columns.Distinct.Clone();
        MessageIds = columns.MessageIds;
        ReferenceStarts = columns.ReferenceStarts;
        References = columns.References;
        MessageIdCount = columns.MessageIdCount;
        MessageIdStrings = columns.MessageIdStrings;
    }

    /// <summary>Messages in the snapshot.</summary>
    public int Count { get; }

    /// <summary>Distinct Message-ID/reference ids in use (ids are 0..MessageIdCount-1).</summary>
    internal int MessageIdCount { get; }

    internal uint[] Uids { get; }
    internal long[] InternalDates { get; }
    internal long[] Sizes { get; }
    internal long[] SentDates { get; }
    internal bool[] Replies { get; }

    /// <summary>Per string kind, per message: the id of its key.</summary>
    internal int[][] Ids { get; }

    /// <summary>Per string kind, per id: the key.</summary>
    internal string[][] Strings { get; }

    /// <summary>Per message: its Message-ID id, or -1.</summary>
    internal int[] MessageIds { get; }

    /// <summary>Per message i: its references are <c>References[ReferenceStarts[i]..ReferenceStarts[i+1]]</c>.</summary>
    internal int[] ReferenceStarts { get; }

    internal int[] References { get; }

    /// <summary>Per Message-ID id: the normalised id.</summary>
    internal string[] MessageIdStrings { get; }

    /// <summary>The UID of message <paramref name="index"/>.</summary>
    public uint UidAt(int index) => Uids[index];

    /// <summary>The collation key of string SORT key <paramref name="key"/> (SUBJECT, FROM, TO, CC, DISPLAYFROM,
    /// DISPLAYTO) of message <paramref name="index"/>; throws ArgumentOutOfRangeException for other keys.</summary>
    public string KeyAt(SortKey key, int index)
    {
        var kind = KindOf(key);
        return Strings[kind][Ids[kind][index]];
    }

    /// <summary>Whether base subject extraction of message <paramref name="index"/> removed a reply/forward marker
    /// (RFC 5256 §2.1).</summary>
    public bool IsReplyOrForwardAt(int index) => Replies[index];

    /// <summary>Builds a snapshot of <paramref name="messages"/>, in the order given (mailbox order; UIDs are not
    /// checked, so a snapshot built here cannot be <see cref="Append"/>ed to unless they ascend).</summary>
    public static SortSnapshot Build(IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var columns = new SortColumns(messages.Count);
        columns.Add(messages, ascending: false);
        return new SortSnapshot(columns);
    }

    /// <summary>Builds a snapshot of <paramref name="messages"/>, whose UIDs must ascend, that can be
    /// <see cref="Append"/>ed to.</summary>
    /// <exception cref="ArgumentException">A UID is not above the previous one.</exception>
    public static SortSnapshot BuildAscending(IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var columns = new SortColumns(messages.Count + messages.Count / 8);
        columns.Add(messages, ascending: true);
        return new SortSnapshot(columns);
    }

    /// <summary>
    /// Returns a snapshot of this one's messages followed by <paramref name="newer"/> (ascending UIDs, all above
    /// this snapshot's last). Shares storage when this is the newest snapshot of it, else copies.
    /// </summary>
    /// <exception cref="ArgumentException">A UID is not above the previous one.</exception>
    public SortSnapshot Append(IReadOnlyList<SortableMessage> newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        if (newer.Count == 0)
        {
            return this;
        }
        var columns = _columns.Count == Count ? _columns : SortColumns.CopyOf(this);
        columns.Add(newer, ascending: true);
        return new SortSnapshot(columns);
    }

    /// <summary>Distinct values of string kind <paramref name="kind"/>.</summary>
    internal int DistinctCount(int kind) => _distinct[kind];

    /// <summary>Per id of string kind <paramref name="kind"/>: its rank among the distinct values in
    /// <see cref="UnicodeCasemap.Compare"/> order (equal strings have one id, so ranks are distinct).</summary>
    internal int[] Ranks(int kind)
    {
        if (Volatile.Read(ref _ranks[kind]) is { } ranks)
        {
            return ranks;
        }
        var count = _distinct[kind];
        var ids = new int[count];
        var strings = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = i;
        }
        Array.Copy(Strings[kind], strings, count);
        Array.Sort(strings, ids, StringKeyComparer.Instance);
        ranks = new int[count];
        for (var r = 0; r < count; r++)
        {
            ranks[ids[r]] = r;
        }
        Volatile.Write(ref _ranks[kind], ranks);
        return ranks;
    }

    /// <summary>The string kind SORT key <paramref name="key"/> compares.</summary>
    internal static int KindOf(SortKey key) => key switch
    {
        SortKey.Subject => SubjectKind,
        SortKey.From => 1,
        SortKey.To => 2,
        SortKey.Cc => 3,
        SortKey.DisplayFrom => 4,
        SortKey.DisplayTo => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Not a string key."),
    };

    private sealed class StringKeyComparer : IComparer<string>
    {
        public static readonly StringKeyComparer Instance = new();

        public int Compare(string? x, string? y) => UnicodeCasemap.Compare(x, y);
    }
}
