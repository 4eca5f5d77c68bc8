namespace Letterbox.Mail.Sorting;

/// <summary>
/// One message as SORT and THREAD see it: its UID, INTERNALDATE, size, sent date and the keys cached at delivery.
/// </summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="InternalDate">INTERNALDATE in seconds since the Unix epoch (ARRIVAL).</param>
/// <param name="Size">RFC822.SIZE in octets.</param>
/// <param name="SentDate">Sent date in seconds since the Unix epoch: the Date header, or INTERNALDATE when it has
/// none that parses (RFC 5256 §2.2).</param>
/// <param name="Keys">The delivery-time keys (strings not asked for may be empty).</param>
public sealed record SortableMessage(uint Uid, long InternalDate, long Size, long SentDate, SortKeys Keys);

/// <summary>Which keys a caller needs, so a store reads only those columns.</summary>
[Flags]
public enum SortFields
{
    /// <summary>UID, INTERNALDATE, size and sent date only.</summary>
    None = 0,
    /// <summary>Base subject and the reply flag.</summary>
    Subject = 1,
    /// <summary>From, To and Cc addr-mailbox keys.</summary>
    Addresses = 2,
    /// <summary>DISPLAYFROM and DISPLAYTO keys.</summary>
    Display = 4,
    /// <summary>Message-ID and references.</summary>
    Threading = 8,
    /// <summary>Everything.</summary>
    All = Subject | Addresses | Display | Threading,
}
