namespace Letterbox.Mail.Sorting;

/// <summary>A SORT key (RFC 5256 §3 <c>sort-key</c>; DISPLAYFROM and DISPLAYTO from RFC 5957 §4).</summary>
public enum SortKey
{
    /// <summary>INTERNALDATE (date and time).</summary>
    Arrival,
    /// <summary>addr-mailbox of the first Cc address.</summary>
    Cc,
    /// <summary>Sent date (RFC 5256 §2.2).</summary>
    Date,
    /// <summary>addr-mailbox of the first From address.</summary>
    From,
    /// <summary>RFC822.SIZE in octets.</summary>
    Size,
    /// <summary>Base subject (RFC 5256 §2.1).</summary>
    Subject,
    /// <summary>addr-mailbox of the first To address.</summary>
    To,
    /// <summary>Display name (or address) of the first From address (RFC 5957).</summary>
    DisplayFrom,
    /// <summary>Display name (or address) of the first To address (RFC 5957).</summary>
    DisplayTo,
}

/// <summary>One <c>sort-criterion</c>: a key, ascending or (REVERSE) descending.</summary>
public readonly record struct SortCriterion(SortKey Key, bool Reverse);
