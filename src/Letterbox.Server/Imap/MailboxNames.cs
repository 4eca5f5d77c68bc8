using Letterbox.Mail.Mailboxes;

namespace Letterbox.Server.Imap;

/// <summary>
/// The IMAP-side name rules the handlers apply before calling the store, on top of
/// <see cref="MailboxName"/>: a trailing '/' is dropped (RFC 9051 §6.3.4), INBOX is canonical in any case (§5.1),
/// and the LIST reference is prefixed to the pattern (§6.3.9).
/// </summary>
public static class MailboxNames
{
    /// <summary>The hierarchy delimiter.</summary>
    public const char Delimiter = MailboxName.Delimiter;

    /// <summary>Returns the name without trailing delimiters and with an "INBOX" first level in canonical case.</summary>
    public static string Canonicalize(string name)
    {
        var end = name.Length;
        while (end > 0 && name[end - 1] == Delimiter)
        {
            end--;
        }
        return MailboxName.Canonicalize(end == name.Length ? name : name[..end]);
    }

    /// <summary>Returns the parent name ("a/b" for "a/b/c"), or null for a top-level name.</summary>
    public static string? Parent(string name) => MailboxName.Parent(name);

    /// <summary>Combines a LIST reference and pattern (RFC 9051 §6.3.9: the reference is prefixed to the pattern,
    /// without doubling the delimiter) and canonicalises an "INBOX" first level.</summary>
    public static string CombinePattern(string reference, string pattern)
    {
        var full = reference.Length == 0 ? pattern
            : pattern.Length > 0 && pattern[0] == Delimiter && reference[^1] == Delimiter ? reference + pattern[1..]
            : reference + pattern;
        return MailboxName.Canonicalize(full);
    }

    /// <summary>LIST pattern match: <c>*</c> any characters, <c>%</c> any except the delimiter (RFC 9051 §6.3.9);
    /// O(name × pattern) time.</summary>
    public static bool Matches(string name, string pattern) => MailboxName.Matches(name, pattern, Delimiter);
}
