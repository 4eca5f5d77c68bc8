namespace Letterbox.Mail.Mailboxes;

/// <summary>Special-use attributes of a mailbox (RFC 6154), as a bit set.</summary>
[Flags]
public enum SpecialUse
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary><c>\All</c>.</summary>
    All = 1,
    /// <summary><c>\Archive</c>.</summary>
    Archive = 2,
    /// <summary><c>\Drafts</c>.</summary>
    Drafts = 4,
    /// <summary><c>\Flagged</c>.</summary>
    Flagged = 8,
    /// <summary><c>\Junk</c>.</summary>
    Junk = 16,
    /// <summary><c>\Sent</c>.</summary>
    Sent = 32,
    /// <summary><c>\Trash</c>.</summary>
    Trash = 64,
}

/// <summary>
/// A mailbox as the store knows it. <see cref="Name"/> is the full hierarchical name with '/' as the
/// delimiter, in Unicode (not modified UTF-7); the user's inbox is always named exactly "INBOX".
/// </summary>
/// <remarks>RFC 9051 §2.3.1.1 for UIDVALIDITY/UIDNEXT; RFC 7162 for HIGHESTMODSEQ.</remarks>
public sealed record MailboxInfo(
    long Id,
    long UserId,
    string Name,
    uint UidValidity,
    uint UidNext,
    ulong HighestModSeq,
    SpecialUse SpecialUse);

/// <summary>Counts for STATUS and SELECT, read in one consistent snapshot.</summary>
public sealed record MailboxStatus(
    long MailboxId,
    uint Messages,
    uint Unseen,
    uint Deleted,
    uint UidValidity,
    uint UidNext,
    ulong HighestModSeq,
    long Size)
{
    /// <summary>The lowest UID without \Seen, or 0 when every message is seen (for SELECT's <c>[UNSEEN n]</c>,
    /// RFC 3501 §6.3.1).</summary>
    public uint FirstUnseenUid { get; init; }
}
