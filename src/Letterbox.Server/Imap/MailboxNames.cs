namespace Letterbox.Server.Imap;

/// <summary>
/// Mailbox name rules the handlers apply before calling the store: INBOX in any case is "INBOX" (RFC 9051 §5.1),
/// a trailing '/' is dropped (§6.3.4), and LIST patterns with <c>*</c> and <c>%</c> (§6.3.9).
/// </summary>
public static class MailboxNames
{
    /// <summary>The hierarchy delimiter.</summary>
    public const char Delimiter = '/';

    /// <summary>Returns the name with "INBOX" in canonical case and without trailing delimiters.</summary>
    public static string Canonicalize(string name)
    {
        var end = name.Length;
        while (end > 0 && name[end - 1] == Delimiter)
        {
            end--;
        }
        if (end != name.Length)
        {
            name = name[..end];
        }
        return string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : name;
    }

    /// <summary>Returns the parent name ("a/b" for "a/b/c"), or null for a top-level name.</summary>
    public static string? Parent(string name)
    {
        var slash = name.LastIndexOf(Delimiter);
        return slash <= 0 ? null : name[..slash];
    }

    /// <summary>
    /// Combines a LIST reference and pattern (RFC 9051 §6.3.9: the reference is prefixed to the pattern) and makes
    /// a leading "inbox" (any case, alone or before '/') upper case so it matches INBOX.
    /// </summary>
    public static string CombinePattern(string reference, string pattern)
    {
        var full = reference.Length == 0 ? pattern
            : pattern.Length > 0 && pattern[0] == Delimiter && reference[^1] == Delimiter ? reference + pattern[1..]
            : reference + pattern;
        if (full.Length >= 5 && full.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase)
            && (full.Length == 5 || full[5] == Delimiter))
        {
            full = "INBOX" + full[5..];
        }
        return full;
    }

    /// <summary>
    /// Returns whether <paramref name="name"/> matches <paramref name="pattern"/>, where <c>*</c> matches any
    /// characters and <c>%</c> any characters except the delimiter (RFC 9051 §6.3.9). Linear-space dynamic
    /// programming, O(name × pattern) time: no backtracking blow-up on hostile patterns.
    /// </summary>
    public static bool Matches(string name, string pattern)
    {
        var n = name.Length;
        Span<bool> previous = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        Span<bool> current = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        previous.Clear();
        previous[0] = true;
        for (var p = 0; p < pattern.Length; p++)
        {
            var c = pattern[p];
            current.Clear();
            if (c == '*')
            {
                var any = false;
                for (var i = 0; i <= n; i++)
                {
                    any |= previous[i];
                    current[i] = any;
                }
            }
            else if (c == '%')
            {
                var any = false;
                for (var i = 0; i <= n; i++)
                {
                    if (i > 0 && name[i - 1] == Delimiter)
                    {
                        any = false;
                    }
                    any |= previous[i];
                    current[i] = any;
                }
            }
            else
            {
                var anyTrue = false;
                for (var i = 1; i <= n; i++)
                {
                    current[i] = previous[i - 1] && name[i - 1] == c;
                    anyTrue |= current[i];
                }
                if (!anyTrue)
                {
                    return false;
                }
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[n];
    }
}
