using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

/// <summary>The store's guard on mailbox names: the domain rules of <see cref="MailboxName"/> (non-empty '/'-separated
/// components, no "." or "..", no control characters or LIST wildcards, at most 512 UTF-8 bytes), enforced here so no
/// caller can bypass them.</summary>
internal static class MailboxNames
{
    public const string Inbox = MailboxName.Inbox;

    /// <summary>Throws <see cref="MailStoreException"/> (InvalidName) when <paramref name="name"/> is not valid.</summary>
    public static void Validate(string name)
    {
        if (!MailboxName.IsValid(name, out var reason))
        {
            throw new MailStoreException(MailStoreError.InvalidName, $"'{name}' is not a valid mailbox name: {reason}");
        }
    }
}
