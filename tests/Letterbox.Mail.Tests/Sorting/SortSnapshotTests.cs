using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using static Letterbox.Mail.Tests.Sorting.SortFixtures;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>The column snapshot SORT and THREAD read (RFC 5256 §3): appends never disturb an older snapshot, and
/// string ranks follow the strings, not the order they were interned in.</summary>
public sealed class SortSnapshotTests
{
    private static uint[] SortedUids(SortSnapshot snapshot, params SortCriterion[] criteria)
    {
        var all = new int[snapshot.Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        var order = MessageSorter.Sort(snapshot, all, criteria);
        var uids = new uint[order.Length];
        for (var i = 0; i < order.Length; i++) uids[i] = snapshot.UidAt(order[i]);
        return uids;
    }

    private static readonly SortCriterion BySubject = new(SortKey.Subject, false);

    [Fact]
    public void AppendRanksNewStringsAmongTheOldOnes_AndLeavesTheOlderSnapshotAlone()
    {
        var older = SortSnapshot.BuildAscending([Message(1, "mango"), Message(2, "cherry")]);
        Assert.Equal([2u, 1], SortedUids(older, BySubject)); // ranks computed (and kept) for the older snapshot

        var newer = older.Append([Message(5, "apple"), Message(7, "Re: mango"), Message(9, "zucchini")]);

        Assert.Equal([5u, 2, 1, 7, 9], SortedUids(newer, BySubject));
        Assert.Equal(2, older.Count);
        Assert.Equal([2u, 1], SortedUids(older, BySubject));
        Assert.Equal("MANGO", newer.KeyAt(SortKey.Subject, 3));
        Assert.True(newer.IsReplyOrForwardAt(3));
    }

    /// <summary>Appending to a snapshot that is no longer the newest of its storage copies it: the newer one's
    /// messages are not overwritten.</summary>
    [Fact]
    public void AppendToAnOlderSnapshotCopies()
    {
        var older = SortSnapshot.BuildAscending([Message(1, "b")]);
        var newer = older.Append([Message(2, "c")]);
        var branch = older.Append([Message(3, "a")]);

        Assert.Equal([1u, 2], SortedUids(newer, BySubject));
        Assert.Equal([3u, 1], SortedUids(branch, BySubject));
        Assert.Equal(2u, newer.UidAt(1));
    }

    [Fact]
    public void AppendRejectsUidsThatDoNotAscend()
    {
        var snapshot = SortSnapshot.BuildAscending([Message(4, "x")]);
        Assert.Throws<ArgumentException>(() => snapshot.Append([Message(4, "y")]));
        Assert.Throws<ArgumentException>(() => SortSnapshot.BuildAscending([Message(2), Message(1)]));
    }

    /// <summary>Many messages with equal first keys: runs are ordered by the next criterion, then by sequence number
    /// (RFC 5256 §3), whatever the primitive sort did with them.</summary>
    [Fact]
    public void EqualKeysKeepSequenceOrderInLargeRuns()
    {
        var messages = new SortableMessage[3000];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = Message((uint)(i + 1), subject: i % 3 == 0 ? "same" : "other", date: i % 7);
        }
        var snapshot = SortSnapshot.BuildAscending(messages);

        var bySubject = SortedUids(snapshot, BySubject);
        var byDateThenSubject = SortedUids(snapshot, new SortCriterion(SortKey.Date, true), BySubject);

        for (var i = 1; i < bySubject.Length; i++)
        {
            var (a, b) = (messages[bySubject[i - 1] - 1], messages[bySubject[i] - 1]);
            Assert.True(string.CompareOrdinal(a.Keys.Subject, b.Keys.Subject) < 0 || (a.Keys.Subject == b.Keys.Subject && a.Uid < b.Uid));
            var (c, d) = (messages[byDateThenSubject[i - 1] - 1], messages[byDateThenSubject[i] - 1]);
            Assert.True(c.SentDate > d.SentDate || (c.SentDate == d.SentDate &&
                (string.CompareOrdinal(c.Keys.Subject, d.Keys.Subject) < 0 || (c.Keys.Subject == d.Keys.Subject && c.Uid < d.Uid))));
        }
    }

    /// <summary>Threading a subset of a snapshot answers positions into the subset, and only links what it holds.</summary>
    [Fact]
    public void ThreadersWorkOnASelection()
    {
        SortableMessage[] messages =
        [
            Message(1, "hello", date: 1, id: "<a@x>"),
            Message(2, "other", date: 2, id: "<b@x>", references: "<a@x>"),
            Message(3, "Re: hello", date: 3, id: "<c@x>", references: "<a@x>"),
        ];
        var snapshot = SortSnapshot.BuildAscending(messages);
        int[] selected = [0, 2];
        SortableMessage[] positions = [messages[0], messages[2]];

        Assert.Equal("(1 3)", Render(ReferencesThreader.Thread(snapshot, selected), positions));
        Assert.Equal("(1 3)", Render(OrderedSubjectThreader.Thread(snapshot, selected), positions));
        Assert.Equal("(1 (2)(3))", Render(ReferencesThreader.Thread(snapshot, [0, 1, 2]), messages));
    }

    public static TheoryData<string> CriteriaLists => new()
    {
        "SUBJECT DATE",
        "REVERSE SUBJECT REVERSE DATE",
        "FROM REVERSE SIZE",
        "REVERSE DATE SUBJECT",
        "SIZE",
        "REVERSE TO",
        // Six keys with thousands of distinct values each: too wide to pack into one long, so the run/comparer path.
        "DATE ARRIVAL SIZE SUBJECT FROM TO",
        "REVERSE ARRIVAL REVERSE SIZE DATE TO FROM SUBJECT",
    };

    /// <summary>Both sorting paths (packed ranks, and primitive first key plus comparer runs) against a plain
    /// comparison written from RFC 5256 §3: criteria in order, REVERSE per criterion, ties by sequence number.</summary>
    [Theory]
    [MemberData(nameof(CriteriaLists))]
    public void SortAgreesWithAPlainComparison(string text)
    {
        var random = new Random(5256);
        var messages = new SortableMessage[3000];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = Message((uint)(i + 1), subject: "s" + random.Next(i % 2 == 0 ? 40 : 3000), date: random.Next(500),
                from: $"u{random.Next(3000)}@x", to: $"t{random.Next(3000)}@x", size: random.Next(3000), arrival: random.Next(3000));
        }
        var criteria = new List<SortCriterion>();
        var reverse = false;
        foreach (var word in text.Split(' '))
        {
            if (word == "REVERSE")
            {
                reverse = true;
                continue;
            }
            criteria.Add(new SortCriterion(Enum.Parse<SortKey>(word, ignoreCase: true), reverse));
            reverse = false;
        }
        var expected = new int[messages.Length];
        for (var i = 0; i < expected.Length; i++) expected[i] = i;
        Array.Sort(expected, (x, y) =>
        {
            foreach (var criterion in criteria)
            {
                var result = Compare(messages[x], messages[y], criterion.Key);
                if (result != 0) return criterion.Reverse ? -result : result;
            }
            return x.CompareTo(y);
        });

        Assert.Equal(expected, MessageSorter.Sort(messages, [.. criteria]));
    }

    private static int Compare(SortableMessage a, SortableMessage b, SortKey key) => key switch
    {
        SortKey.Date => a.SentDate.CompareTo(b.SentDate),
        SortKey.Arrival => a.InternalDate.CompareTo(b.InternalDate),
        SortKey.Size => a.Size.CompareTo(b.Size),
        SortKey.Subject => UnicodeCasemap.Compare(a.Keys.Subject, b.Keys.Subject),
        SortKey.From => UnicodeCasemap.Compare(a.Keys.From, b.Keys.From),
        SortKey.To => UnicodeCasemap.Compare(a.Keys.To, b.Keys.To),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
