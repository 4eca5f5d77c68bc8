using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

/// <summary>Basic mailbox name checks (the full rules live with the protocol layer): '/'-separated, non-empty
/// components, no "." or ".." component, no control characters, no LIST wildcards, at most 1,000 characters.</summary>
internal static class MailboxNames
{
    public const string Inbox = "INBOX";

    public const int MaxLength = 1000;

    /// <summary>Throws <see cref="MailStoreException"/> (InvalidName) when <paramref name="name"/> is not valid.</summary>
    public static void Validate(string name)
    {
        if (!IsValid(name))
        {
            throw new MailStoreException(MailStoreError.InvalidName, $"'{name}' is not a valid mailbox name.");
        }
    }

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }
        foreach (var component in name.Split('/'))
        {
            if (component.Length == 0 || component == "." || component == "..")
            {
                return false;
            }
        }
        foreach (var c in name)
        {
            if (c < ' ' || c == 0x7f || c == '*' || c == '%')
            {
                return false;
            }
        }
        return true;
    }
}
