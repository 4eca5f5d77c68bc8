using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Commands;

/// <summary>
/// <c>partial-range</c> (RFC 9394 §4): which results of a SEARCH/SORT (PARTIAL return option, §3.1) or of a UID FETCH
/// (PARTIAL modifier, §3.3) are wanted, 1-based. <c>First:Last</c> counts from the first result; with
/// <see cref="FromEnd"/> it is <c>-First:-Last</c>, counting from the last result (-1 is the last). The two ends may
/// come in either order (<c>500:400</c> is <c>400:500</c>); they are kept as the client gave them, because the
/// ESEARCH answer repeats the requested range.
/// </summary>
/// <param name="FromEnd">True for <c>partial-range-last</c> (<c>-m:-n</c>).</param>
/// <param name="First">The first end's magnitude (1 … 2^32-1).</param>
/// <param name="Last">The second end's magnitude (1 … 2^32-1).</param>
public readonly record struct PartialRange(bool FromEnd, uint First, uint Last)
{
    /// <summary>
    /// The part of <paramref name="total"/> ordered results the range names: its start index (0-based) and length;
    /// the length is 0 when the range lies wholly beyond the results (the answer is then <c>NIL</c>, §3.1).
    /// </summary>
    public (int Start, int Count) Slice(int total)
    {
        var low = (long)Math.Min(First, Last);
        var high = (long)Math.Max(First, Last);
        long start, end; // 0-based, inclusive
        if (FromEnd)
        {
            start = Math.Max(0, total - high);
            end = total - low;
        }
        else
        {
            start = low - 1;
            end = Math.Min(high, total) - 1;
        }
        return end < start ? (0, 0) : ((int)start, (int)(end - start + 1));
    }

    /// <summary>The range as IMAP writes it: <c>1:500</c> or <c>-1:-100</c>.</summary>
    public override string ToString() => FromEnd ? $"-{First}:-{Last}" : $"{First}:{Last}";

    /// <summary><c>partial-range = partial-range-first / partial-range-last</c> (RFC 9394 §4): <c>nz-number ":"
    /// nz-number</c> or <c>"-" nz-number ":" "-" nz-number</c>; <c>*</c>, 0 and mixed signs are BAD.</summary>
    internal static PartialRange Parse(ref ImapParser p)
    {
        var fromEnd = p.TryConsume((byte)'-');
        var first = NzNumber(ref p);
        p.Expect((byte)':', "':' in the PARTIAL range (e.g. 1:100 or -1:-100)");
        if (p.TryConsume((byte)'-') != fromEnd)
        {
            throw ImapParser.Bad("Invalid PARTIAL range: both ends count from the start (1:100) or both from the end (-1:-100)");
        }
        var last = NzNumber(ref p);
        if (p.Peek() is not (' ' or ')' or -1))
        {
            throw ImapParser.Bad("Invalid PARTIAL range: expected e.g. 1:100 or -1:-100");
        }
        return new PartialRange(fromEnd, first, last);
    }

    private static uint NzNumber(ref ImapParser p)
    {
        var n = p.Digits("a PARTIAL range (e.g. 1:100 or -1:-100)");
        if (n == 0 || n > uint.MaxValue)
        {
            throw ImapParser.Bad("Invalid PARTIAL range: each end is between 1 and 4294967295");
        }
        return (uint)n;
    }
}
