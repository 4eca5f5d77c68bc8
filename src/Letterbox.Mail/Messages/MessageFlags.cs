namespace Letterbox.Mail.Messages;

/// <summary>
/// The IMAP system flags a message can carry, as a bit set. Keywords (user-defined flags) are kept
/// separately as strings.
/// </summary>
/// <remarks>RFC 9051 §2.3.2. <c>\Recent</c> is not stored: Letterbox reports no message as recent
/// (IMAP4rev2 removed it; RFC 3501 §2.3.2 allows a server to report 0 RECENT).</remarks>
[Flags]
public enum MessageFlags
{
    /// <summary>No system flag.</summary>
    None = 0,
    /// <summary><c>\Seen</c>: the message has been read.</summary>
    Seen = 1,
    /// <summary><c>\Answered</c>: the message has been answered.</summary>
    Answered = 2,
    /// <summary><c>\Flagged</c>: the message is flagged for urgent/special attention.</summary>
    Flagged = 4,
    /// <summary><c>\Deleted</c>: the message is marked for removal by a later EXPUNGE.</summary>
    Deleted = 8,
    /// <summary><c>\Draft</c>: the message has not completed composition.</summary>
    Draft = 16,
}
