using Letterbox.Mail.Messages;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// The <c>messages.keywords</c> column: keywords (RFC 9051 §2.3.2, atoms) joined by one space, distinct
/// case-insensitively, sorted ordinally; NULL when there are none.
/// </summary>
internal static class Keywords
{
    /// <summary>The shared empty list returned for a message without keywords.</summary>
    public static readonly IReadOnlyList<string> Empty = [];

    /// <summary>Splits a column value; NULL gives <see cref="Empty"/>.</summary>
    public static IReadOnlyList<string> Decode(string? column)
        => string.IsNullOrEmpty(column) ? Empty : column.Split(' ');

    /// <summary>Builds a column value from keywords (null when empty). Throws <see cref="ArgumentException"/>
    /// for an empty keyword or one containing a space or control character (the parser must reject those).</summary>
    public static string? Encode(IEnumerable<string> keywords)
    {
        var list = new List<string>();
        foreach (var keyword in keywords)
        {
            Validate(keyword);
            if (!ContainsIgnoreCase(list, keyword))
            {
                list.Add(keyword);
            }
        }
        if (list.Count == 0)
        {
            return null;
        }
        list.Sort(StringComparer.Ordinal);
        return string.Join(' ', list);
    }

    /// <summary>Applies a STORE operation (RFC 9051 §6.4.6) to one message's flags and keywords.</summary>
    public static (MessageFlags Flags, string? Keywords) Apply(
        MessageFlags currentFlags, string? currentKeywords, FlagOperation operation, MessageFlags flags, IReadOnlyList<string> keywords)
    {
        switch (operation)
        {
            case FlagOperation.Replace:
                return (flags, Encode(keywords));
            case FlagOperation.Add:
                {
                    var newFlags = currentFlags | flags;
                    if (keywords.Count == 0)
                    {
                        return (newFlags, currentKeywords);
                    }
                    var merged = new List<string>(Decode(currentKeywords));
                    merged.AddRange(keywords);
                    return (newFlags, Encode(merged));
                }
            default:
                {
                    var newFlags = currentFlags & ~flags;
                    if (keywords.Count == 0 || currentKeywords is null)
                    {
                        return (newFlags, currentKeywords);
                    }
                    var kept = new List<string>();
                    foreach (var keyword in Decode(currentKeywords))
                    {
                        if (!ContainsIgnoreCase(keywords, keyword))
                        {
                            kept.Add(keyword);
                        }
                    }
                    return (newFlags, Encode(kept));
                }
        }
    }

    private static void Validate(string keyword)
    {
        if (string.IsNullOrEmpty(keyword))
        {
            throw new ArgumentException("A keyword cannot be empty.", nameof(keyword));
        }
        foreach (var c in keyword)
        {
            if (c <= ' ' || c == 0x7f)
            {
                throw new ArgumentException($"Keyword '{keyword}' contains a space or control character.", nameof(keyword));
            }
        }
    }

    private static bool ContainsIgnoreCase(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
