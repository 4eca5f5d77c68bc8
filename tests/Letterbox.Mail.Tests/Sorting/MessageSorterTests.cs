using Letterbox.Mail.Sorting;
using static Letterbox.Mail.Tests.Sorting.SortFixtures;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>SORT ordering (RFC 5256 §3, RFC 5957 §4).</summary>
public sealed class MessageSorterTests
{
    private static uint[] Sorted(SortableMessage[] messages, params SortCriterion[] criteria)
    {
        var order = MessageSorter.Sort(messages, criteria);
        var uids = new uint[order.Length];
        for (var i = 0; i < order.Length; i++) uids[i] = messages[order[i]].Uid;
        return uids;
    }

    private static SortCriterion Asc(SortKey key) => new(key, false);

    private static SortCriterion Desc(SortKey key) => new(key, true);

    [Fact]
    public void SubjectUsesTheBaseSubjectCaseInsensitively_TiesBySequenceNumber()
    {
        SortableMessage[] messages =
        [
            Message(1, "Re: beta", date: 5),
            Message(2, "ALPHA", date: 9),
            Message(3, "[list] alpha", date: 1),
            Message(4, "", date: 3),
            Message(5, "Fwd: Beta", date: 2),
        ];
        Assert.Equal([4u, 2, 3, 1, 5], Sorted(messages, Asc(SortKey.Subject)));        // "" first, ties in mailbox order
        Assert.Equal([4u, 3, 2, 5, 1], Sorted(messages, Asc(SortKey.Subject), Asc(SortKey.Date)));
        Assert.Equal([4u, 2, 3, 1, 5], Sorted(messages, Asc(SortKey.Subject), Desc(SortKey.Date)));
    }

    /// <summary>REVERSE reverses only its criterion: equal keys stay in sequence order (RFC 5256 §3 note).</summary>
    [Fact]
    public void ReverseDoesNotReverseTheSequenceTieBreak()
    {
        SortableMessage[] messages = [Message(1, date: 7), Message(2, date: 9), Message(3, date: 7), Message(4, date: 1)];
        Assert.Equal([2u, 1, 3, 4], Sorted(messages, Desc(SortKey.Date)));
        Assert.Equal([4u, 1, 3, 2], Sorted(messages, Asc(SortKey.Date)));
    }

    [Fact]
    public void ArrivalAndSizeAreNumbers()
    {
        SortableMessage[] messages = [Message(1, size: 300, arrival: 20), Message(2, size: 20, arrival: 10), Message(3, size: 1000, arrival: 30)];
        Assert.Equal([2u, 1, 3], Sorted(messages, Asc(SortKey.Size)));
        Assert.Equal([3u, 1, 2], Sorted(messages, Desc(SortKey.Arrival)));
    }

    /// <summary>FROM/TO compare addr-mailbox (the local part) only; DISPLAYFROM the display name, or the address
    /// when there is none (RFC 5957 §3).</summary>
    [Fact]
    public void AddressKeys()
    {
        SortableMessage[] messages =
        [
            Message(1, from: "Zoe <adam@z.example>", to: "b@x"),
            Message(2, from: "bob@a.example", to: "A@x"),
            Message(3, from: "Carl <carl@b.example>"),
            Message(4, from: "=?UTF-8?Q?=C3=81lvaro?= <zz@c.example>", to: "c@x"),
        ];
        Assert.Equal([1u, 2, 3, 4], Sorted(messages, Asc(SortKey.From)));
        Assert.Equal([3u, 2, 1, 4], Sorted(messages, Asc(SortKey.To)));          // no To = "" first
        // NFKD makes "Álvaro" "A\u0301LVARO", before "BOB@A.EXAMPLE" (no name: the address), "CARL" and "ZOE".
        Assert.Equal([4u, 2, 3, 1], Sorted(messages, Asc(SortKey.DisplayFrom)));
    }
}
