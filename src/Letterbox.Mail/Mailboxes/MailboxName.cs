using System.Text;

namespace Letterbox.Mail.Mailboxes;

/// <summary>
/// Mailbox name rules: validation, INBOX canonicalisation, hierarchy and LIST pattern matching. Names are Unicode
/// with '/' as the hierarchy delimiter (not modified UTF-7; the IMAP layer converts).
/// </summary>
/// <remarks>RFC 9051 §5.1 (mailbox naming, INBOX is case-insensitive), §6.3.9 (LIST wildcards).</remarks>
public static class MailboxName
{
    /// <summary>The hierarchy delimiter.</summary>
    public const char Delimiter = '/';

    /// <summary>The name of the inbox, exactly as stored.</summary>
    public const string Inbox = "INBOX";

    /// <summary>Longest name accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 512;

    /// <summary>
    /// Returns whether <paramref name="name"/> may name a mailbox: non-empty, at most <see cref="MaxBytes"/> UTF-8
    /// bytes, no empty component (no leading, trailing or doubled '/'), no component "." or "..", no control
    /// characters (NUL, CR, LF, C0/C1, DEL), no unpaired surrogates, no '*' or '%' (LIST wildcards).
    /// <paramref name="reason"/> says what is wrong, for the client's NO [CANNOT] text; null when valid.
    /// </summary>
    public static bool IsValid(string? name, out string? reason)
    {
        reason = Check(name);
        return reason is null;
    }

    private static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "The mailbox name is empty.";
        int byteCount;
        try
        {
            byteCount = new UTF8Encoding(false, true).GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            return "The mailbox name contains an invalid Unicode character.";
        }
        if (byteCount > MaxBytes) return $"The mailbox name is longer than {MaxBytes} bytes.";
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "The mailbox name contains an invalid Unicode character.";
            if (char.IsControl(c)) return "The mailbox name contains a control character.";
            if (c is '*' or '%') return "The mailbox name contains a wildcard character ('*' or '%').";
        }
        foreach (var component in name.Split(Delimiter))
        {
            if (component.Length == 0) return "The mailbox name has an empty level (leading, trailing or doubled '/').";
            if (component is "." or "..") return "A mailbox name level cannot be '.' or '..'.";
        }
        return null;
    }

    /// <summary>Returns <paramref name="name"/> with a first component of "inbox" in any case written "INBOX"
    /// ("inbox" → "INBOX", "Inbox/Sub" → "INBOX/Sub"); other names unchanged.</summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length >= Inbox.Length
            && name.StartsWith(Inbox, StringComparison.OrdinalIgnoreCase)
            && (name.Length == Inbox.Length || name[Inbox.Length] == Delimiter)
            && !name.StartsWith(Inbox, StringComparison.Ordinal))
        {
            return string.Concat(Inbox, name.AsSpan(Inbox.Length));
        }
        return name;
    }

    /// <summary>The parent of <paramref name="name"/> ("a/b/c" → "a/b"), or null for a top-level name.</summary>
    public static string? Parent(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = name.LastIndexOf(Delimiter);
        return index <= 0 ? null : name[..index];
    }

    /// <summary>
    /// Returns whether <paramref name="name"/> matches the LIST <paramref name="pattern"/> (reference already
    /// prepended): '*' matches any run of characters, '%' any run without <paramref name="delimiter"/>; other
    /// characters match exactly, except that an "INBOX" first level matches in any case. Runs in
    /// O(name × pattern) time (no backtracking blow-up).
    /// </summary>
    public static bool Matches(string name, string pattern, char delimiter = Delimiter)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pattern);
        name = Canonicalize(name);
        pattern = Canonicalize(pattern);

        // NFA simulation: active[j] = pattern[..j] can match the name prefix read so far.
        var active = new bool[pattern.Length + 1];
        var next = new bool[pattern.Length + 1];
        active[0] = true;
        Close(active, pattern);
        foreach (var c in name)
        {
            Array.Clear(next);
            var any = false;
            for (var j = 0; j < pattern.Length; j++)
            {
                if (!active[j]) continue;
                var p = pattern[j];
                if (p == '*' || (p == '%' && c != delimiter))
                {
                    next[j] = true; // the wildcard consumes c and stays
                    any = true;
                }
                else if (p == c)
                {
                    next[j + 1] = true;
                    any = true;
                }
            }
            if (!any) return false;
            Close(next, pattern);
            (active, next) = (next, active);
        }
        return active[pattern.Length];
    }

    /// <summary>A wildcard may match the empty string: a state before a wildcard also activates the state after it.</summary>
    private static void Close(bool[] states, string pattern)
    {
        for (var j = 0; j < pattern.Length; j++)
        {
            if (states[j] && pattern[j] is '*' or '%') states[j + 1] = true;
        }
    }
}
