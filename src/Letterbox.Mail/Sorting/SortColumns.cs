namespace Letterbox.Mail.Sorting;

/// <summary>
/// The append-only storage behind <see cref="SortSnapshot"/>s: one array per column with spare capacity, and the
/// tables that intern string keys and Message-IDs to ids. Arrays are replaced (copied) when they grow, so a snapshot
/// holding the old ones keeps reading valid data; values below a snapshot's count are never written again.
/// Not thread-safe: one writer at a time.
/// </summary>
internal sealed class SortColumns
{
    private readonly Dictionary<string, int>[] _tables = new Dictionary<string, int>[SortSnapshot.StringKinds];
    private readonly Dictionary<string, int> _messageIdTable = new(StringComparer.Ordinal);

    public SortColumns(int capacity)
    {
        capacity = Math.Max(capacity, 4);
        Uids = new uint[capacity];
        InternalDates = new long[capacity];
        Sizes = new long[capacity];
        SentDates = new long[capacity];
        Replies = new bool[capacity];
        MessageIds = new int[capacity];
        ReferenceStarts = new int[capacity + 1];
        References = new int[capacity];
        MessageIdStrings = new string[capacity];
        for (var k = 0; k < SortSnapshot.StringKinds; k++)
        {
            _tables[k] = new Dictionary<string, int>(StringComparer.Ordinal);
            Ids[k] = new int[capacity];
            Strings[k] = new string[Math.Min(capacity, 64)];
        }
    }

    public int Count { get; private set; }
    public uint[] Uids { get; private set; }
    public long[] InternalDates { get; private set; }
    public long[] Sizes { get; private set; }
    public long[] SentDates { get; private set; }
    public bool[] Replies { get; private set; }
    public int[][] Ids { get; } = new int[SortSnapshot.StringKinds][];
    public string[][] Strings { get; } = new string[SortSnapshot.StringKinds][];
    public int[] Distinct { get; } = new int[SortSnapshot.StringKinds];
    public int[] MessageIds { get; private set; }
    public int[] ReferenceStarts { get; private set; }
    public int[] References { get; private set; }
    public string[] MessageIdStrings { get; private set; }
    public int MessageIdCount => _messageIdTable.Count;

    /// <summary>New storage holding exactly the messages of <paramref name="snapshot"/> (same ids).</summary>
    public static SortColumns CopyOf(SortSnapshot snapshot)
    {
        var n = snapshot.Count;
        var columns = new SortColumns(n + n / 2);
        Array.Copy(snapshot.Uids, columns.Uids, n);
        Array.Copy(snapshot.InternalDates, columns.InternalDates, n);
        Array.Copy(snapshot.Sizes, columns.Sizes, n);
        Array.Copy(snapshot.SentDates, columns.SentDates, n);
        Array.Copy(snapshot.Replies, columns.Replies, n);
        Array.Copy(snapshot.MessageIds, columns.MessageIds, n);
        var references = snapshot.ReferenceStarts[n];
        Array.Copy(snapshot.ReferenceStarts, columns.ReferenceStarts, n + 1);
        columns.References = new int[Math.Max(references + references / 2, 4)];
        Array.Copy(snapshot.References, columns.References, references);
        for (var k = 0; k < SortSnapshot.StringKinds; k++)
        {
            Array.Copy(snapshot.Ids[k], columns.Ids[k], n);
            var distinct = snapshot.DistinctCount(k);
            columns.Strings[k] = new string[Math.Max(distinct + distinct / 2, 4)];
            for (var id = 0; id < distinct; id++)
            {
                columns.Strings[k][id] = snapshot.Strings[k][id];
                columns._tables[k].Add(snapshot.Strings[k][id], id);
            }
            columns.Distinct[k] = distinct;
        }
        columns.MessageIdStrings = new string[Math.Max(snapshot.MessageIdCount + snapshot.MessageIdCount / 2, 4)];
        for (var id = 0; id < snapshot.MessageIdCount; id++)
        {
            columns.MessageIdStrings[id] = snapshot.MessageIdStrings[id];
            columns._messageIdTable.Add(snapshot.MessageIdStrings[id], id);
        }
        columns.Count = n;
        return columns;
    }

    /// <summary>Appends <paramref name="messages"/>; with <paramref name="ascending"/>, their UIDs must ascend above
    /// the last one.</summary>
    /// <exception cref="ArgumentException">A UID is not above the previous one.</exception>
    public void Add(IReadOnlyList<SortableMessage> messages, bool ascending)
    {
        EnsureCapacity(Count + messages.Count);
        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            var i = Count;
            if (ascending && i > 0 && message.Uid <= Uids[i - 1])
            {
                throw new ArgumentException($"UID {message.Uid} does not ascend (after {Uids[i - 1]}).", nameof(messages));
            }
            var keys = message.Keys;
            Uids[i] = message.Uid;
            InternalDates[i] = message.InternalDate;
            Sizes[i] = message.Size;
            SentDates[i] = message.SentDate;
            Replies[i] = keys.IsReplyOrForward;
            Ids[0][i] = Intern(0, keys.Subject);
            Ids[1][i] = Intern(1, keys.From);
            Ids[2][i] = Intern(2, keys.To);
            Ids[3][i] = Intern(3, keys.Cc);
            Ids[4][i] = Intern(4, keys.DisplayFrom);
            Ids[5][i] = Intern(5, keys.DisplayTo);
            MessageIds[i] = keys.MessageId is { } id ? InternMessageId(id) : -1;
            var start = ReferenceStarts[i];
            var references = keys.References;
            if (References.Length < start + references.Count)
            {
                References = Grow(References, start + references.Count);
            }
            for (var r = 0; r < references.Count; r++)
            {
                References[start + r] = InternMessageId(references[r]);
            }
            ReferenceStarts[i + 1] = start + references.Count;
            Count = i + 1;
        }
    }

    private int Intern(int kind, string value)
    {
        if (_tables[kind].TryGetValue(value, out var id))
        {
            return id;
        }
        id = Distinct[kind];
        if (Strings[kind].Length == id)
        {
            Strings[kind] = Grow(Strings[kind], id + 1);
        }
        Strings[kind][id] = value;
        _tables[kind].Add(value, id);
        Distinct[kind] = id + 1;
        return id;
    }

    private int InternMessageId(string value)
    {
        if (_messageIdTable.TryGetValue(value, out var id))
        {
            return id;
        }
        id = _messageIdTable.Count;
        if (MessageIdStrings.Length == id)
        {
            MessageIdStrings = Grow(MessageIdStrings, id + 1);
        }
        MessageIdStrings[id] = value;
        _messageIdTable.Add(value, id);
        return id;
    }

    private void EnsureCapacity(int needed)
    {
        if (Uids.Length >= needed)
        {
            return;
        }
        Uids = Grow(Uids, needed);
        InternalDates = Grow(InternalDates, needed);
        Sizes = Grow(Sizes, needed);
        SentDates = Grow(SentDates, needed);
        Replies = Grow(Replies, needed);
        MessageIds = Grow(MessageIds, needed);
        ReferenceStarts = Grow(ReferenceStarts, needed + 1);
        for (var k = 0; k < SortSnapshot.StringKinds; k++)
        {
            Ids[k] = Grow(Ids[k], needed);
        }
    }

    /// <summary>A copy of <paramref name="array"/> with room for at least <paramref name="needed"/> (×1.5).</summary>
    private static T[] Grow<T>(T[] array, int needed)
    {
        var grown = new T[Math.Max(needed, array.Length + array.Length / 2)];
        Array.Copy(array, grown, array.Length);
        return grown;
    }
}
