namespace Letterbox.Mail.Messages;

/// <summary>
/// A set of message numbers (sequence numbers or UIDs) as written by a client: ranges that may use
/// <c>*</c> (stored as <see cref="Star"/>) and may be written high-to-low (<c>5:2</c>, <c>*:3</c>), or the
/// saved search result <c>$</c>.
/// </summary>
/// <remarks>RFC 9051 §9 <c>sequence-set</c>; RFC 5182 for <c>$</c>.</remarks>
public sealed class SequenceSet
{
    /// <summary>The value that stands for <c>*</c>: the largest number in use. Zero, because <c>nz-number</c> excludes
    /// it (RFC 9051 §9), so every real number — including UID 4294967295 — stays distinct from <c>*</c>.</summary>
    public const uint Star = 0;

    /// <summary>Creates a set from ranges as written (each end may be <see cref="Star"/>; start may exceed end).</summary>
    public SequenceSet(IReadOnlyList<(uint Start, uint End)> ranges, bool isSavedResult = false)
    {
        Ranges = ranges;
        IsSavedResult = isSavedResult;
    }

    /// <summary>The ranges as written, in the client's order.</summary>
    public IReadOnlyList<(uint Start, uint End)> Ranges { get; }

    /// <summary>True for <c>$</c> (RFC 5182): the session substitutes its saved search result.</summary>
    public bool IsSavedResult { get; }

    /// <summary>The set <c>$</c>.</summary>
    public static SequenceSet SavedResult { get; } = new([], true);

    /// <summary>
    /// Returns whether <paramref name="number"/> is in the set, where <c>*</c> means <paramref name="largest"/>
    /// (the highest sequence number or UID in use). A range is inclusive in either direction.
    /// </summary>
    public bool Contains(uint number, uint largest)
    {
        var ranges = Ranges;
        for (var i = 0; i < ranges.Count; i++)
        {
            var (a, b) = ranges[i];
            if (a == Star) a = largest;
            if (b == Star) b = largest;
            if (a > b) (a, b) = (b, a);
            if (number >= a && number <= b) return true;
        }
        return false;
    }

    /// <summary>
    /// The ranges with <c>*</c> replaced by <paramref name="largest"/>, each ordered low-to-high, sorted and
    /// merged. Returns an empty list for the saved result (the caller resolves <c>$</c>).
    /// </summary>
    public List<(uint Low, uint High)> Normalize(uint largest)
    {
        var list = new List<(uint Low, uint High)>(Ranges.Count);
        foreach (var (s, e) in Ranges)
        {
            var a = s == Star ? largest : s;
            var b = e == Star ? largest : e;
            list.Add(a <= b ? (a, b) : (b, a));
        }
        list.Sort(static (x, y) => x.Low.CompareTo(y.Low));
        var merged = new List<(uint Low, uint High)>(list.Count);
        foreach (var r in list)
        {
            if (merged.Count > 0 && r.Low <= merged[^1].High + 1UL)
            {
                var last = merged[^1];
                merged[^1] = (last.Low, Math.Max(last.High, r.High));
            }
            else
            {
                merged.Add(r);
            }
        }
        return merged;
    }

    /// <summary>Formats the set in IMAP syntax (<c>1:3,7,9:*</c>), for logs and tests.</summary>
    public override string ToString()
    {
        if (IsSavedResult) return "$";
        static string N(uint n) => n == Star ? "*" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', Ranges.Select(r => r.Start == r.End ? N(r.Start) : N(r.Start) + ":" + N(r.End)));
    }
}
