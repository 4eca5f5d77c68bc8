using System.Globalization;

namespace Letterbox.Imap.Text;

/// <summary>
/// IMAP dates: the <c>date-time</c> of INTERNALDATE and APPEND (<c>"dd-Mon-yyyy HH:mm:ss +zzzz"</c>) and the
/// <c>date</c> of SEARCH (<c>d-Mon-yyyy</c>), RFC 9051 §9. Month names are English and case-insensitive on input.
/// </summary>
public static class ImapDateTime
{
    private static readonly string[] s_months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>
    /// Formats an INTERNALDATE <c>date-time</c> without the surrounding quotes, e.g. <c>" 1-Jan-2024 10:00:00 +0000"</c>
    /// (day padded with a space to two characters, offset as <c>+hhmm</c>), RFC 9051 §9.
    /// </summary>
    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value.Day,2}-{s_months[value.Month - 1]}-{value.Year:D4} {value.Hour:D2}:{value.Minute:D2}:{value.Second:D2} {sign}{abs.Hours:D2}{abs.Minutes:D2}");
    }

    /// <summary>
    /// Parses an RFC 9051 §9 <c>date-time</c> without quotes: <c>dd-Mon-yyyy HH:mm:ss ±hhmm</c>, where the day may be
    /// one digit, two digits or space-padded. Returns false on any other shape or an impossible date.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length > 0 && s[0] == ' ')
        {
            s = s[1..];
        }
        if (!TryParseDateCore(s, out var date, out var used))
        {
            return false;
        }
        s = s[used..];
        // " HH:mm:ss +zzzz" = 15 characters
        if (s.Length != 15 || s[0] != ' ' || s[3] != ':' || s[6] != ':' || s[9] != ' ' || (s[10] != '+' && s[10] != '-'))
        {
            return false;
        }
        if (!TwoDigits(s[1..], out var hour) || !TwoDigits(s[4..], out var minute) || !TwoDigits(s[7..], out var second)
            || !TwoDigits(s[11..], out var zh) || !TwoDigits(s[13..], out var zm))
        {
            return false;
        }
        if (hour > 23 || minute > 59 || second > 60 || zh > 23 || zm > 59)
        {
            return false;
        }
        if (second == 60)
        {
            second = 59; // leap second: clamp, DateTime cannot represent it
        }
        var offset = new TimeSpan(zh, zm, 0);
        if (s[10] == '-')
        {
            offset = -offset;
        }
        if (offset > TimeSpan.FromHours(14) || offset < TimeSpan.FromHours(-14))
        {
            return false;
        }
        try
        {
            value = new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, second, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>
    /// Parses a SEARCH <c>date</c> (RFC 9051 §9 <c>date-text</c>): <c>d-Mon-yyyy</c> or <c>dd-Mon-yyyy</c>, month
    /// case-insensitive, e.g. <c>1-Feb-1994</c>. Returns false on any other shape or an impossible date.
    /// </summary>
    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly value)
    {
        if (TryParseDateCore(s, out value, out var used) && used == s.Length)
        {
            return true;
        }
        value = default;
        return false;
    }

    private static bool TryParseDateCore(ReadOnlySpan<char> s, out DateOnly value, out int used)
    {
        value = default;
        used = 0;
        int day;
        int pos;
        if (s.Length >= 2 && IsDigit(s[0]) && IsDigit(s[1]))
        {
            day = (s[0] - '0') * 10 + (s[1] - '0');
            pos = 2;
        }
        else if (s.Length >= 1 && IsDigit(s[0]))
        {
            day = s[0] - '0';
            pos = 1;
        }
        else
        {
            return false;
        }
        // "-Mon-yyyy" = 9 characters
        if (s.Length < pos + 9 || s[pos] != '-' || s[pos + 4] != '-')
        {
            return false;
        }
        var monthText = s.Slice(pos + 1, 3);
        var month = 0;
        for (var m = 0; m < s_months.Length; m++)
        {
            if (monthText.Equals(s_months[m], StringComparison.OrdinalIgnoreCase))
            {
                month = m + 1;
                break;
            }
        }
        if (month == 0)
        {
            return false;
        }
        var yearText = s.Slice(pos + 5, 4);
        var year = 0;
        foreach (var c in yearText)
        {
            if (!IsDigit(c))
            {
                return false;
            }
            year = year * 10 + (c - '0');
        }
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        value = new DateOnly(year, month, day);
        used = pos + 9;
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.Length < 2 || !IsDigit(s[0]) || !IsDigit(s[1]))
        {
            return false;
        }
        value = (s[0] - '0') * 10 + (s[1] - '0');
        return true;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';
}
