namespace Letterbox.Mail.Store;

/// <summary>Why a store operation was refused; maps to an IMAP response code (RFC 5530) in the server.</summary>
public enum MailStoreError
{
    /// <summary>The mailbox does not exist ([NONEXISTENT], or [TRYCREATE] for a COPY/APPEND target).</summary>
    NonExistent,
    /// <summary>The mailbox already exists ([ALREADYEXISTS]).</summary>
    AlreadyExists,
    /// <summary>The operation is not allowed on this mailbox (e.g. deleting INBOX) ([CANNOT]).</summary>
    Cannot,
    /// <summary>The user lacks the right ([NOPERM]).</summary>
    NoPermission,
    /// <summary>The mailbox has children and cannot be deleted in this state ([INUSE]/[CANNOT]).</summary>
    HasChildren,
    /// <summary>A quota would be exceeded ([OVERQUOTA]).</summary>
    OverQuota,
    /// <summary>A configured limit was reached ([LIMIT]).</summary>
    Limit,
    /// <summary>The user does not exist.</summary>
    NoSuchUser,
    /// <summary>The user already exists.</summary>
    UserExists,
    /// <summary>The name is not valid (empty component, bad character, too long) ([CANNOT]).</summary>
    InvalidName,
    /// <summary>The message bytes could not be stored or read ([SERVERBUG]/[UNAVAILABLE]).</summary>
    Unavailable,
}

/// <summary>An expected refusal from the store: the request was valid but cannot be done. Never used for bugs.</summary>
public sealed class MailStoreException(MailStoreError error, string message) : Exception(message)
{
    /// <summary>Why the request was refused.</summary>
    public MailStoreError Error { get; } = error;
}
