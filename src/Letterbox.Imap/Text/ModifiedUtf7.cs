using System.Text;

namespace Letterbox.Imap.Text;

/// <summary>
/// Modified UTF-7, the IMAP4rev1 encoding of international mailbox names (RFC 3501 §5.1.3): printable US-ASCII
/// except <c>&amp;</c> stands for itself, <c>&amp;</c> is written <c>&amp;-</c>, and any other run of characters is
/// UTF-16BE in modified base64 (<c>,</c> instead of <c>/</c>, no padding) between <c>&amp;</c> and <c>-</c>.
/// </summary>
public static class ModifiedUtf7
{
    private const string Base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes a Unicode mailbox name to modified UTF-7 (RFC 3501 §5.1.3). Never fails.</summary>
    /// <param name="name">The name in Unicode.</param>
    /// <returns>The encoded name, pure printable US-ASCII.</returns>
    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 8);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c == '&')
            {
                sb.Append("&-");
                i++;
            }
            else if (c >= 0x20 && c <= 0x7e)
            {
                sb.Append(c);
                i++;
            }
            else
            {
                var start = i;
                while (i < name.Length && (name[i] < 0x20 || name[i] > 0x7e))
                {
                    i++;
                }
                sb.Append('&');
                AppendBase64(sb, name.AsSpan(start, i - start));
                sb.Append('-');
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Decodes a modified UTF-7 mailbox name (RFC 3501 §5.1.3). Returns false on anything malformed: characters
    /// outside printable US-ASCII, an unterminated shift (<c>&amp;Jjo</c>), invalid base64, an odd number of
    /// bytes or non-zero padding bits, unpaired surrogates, or a shift that encodes printable US-ASCII.
    /// </summary>
    /// <param name="encoded">The encoded name.</param>
    /// <param name="decoded">The Unicode name, or empty when false is returned.</param>
    public static bool TryDecode(string encoded, out string decoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        decoded = string.Empty;
        var sb = new StringBuilder(encoded.Length);
        var i = 0;
        while (i < encoded.Length)
        {
            var c = encoded[i];
            if (c < 0x20 || c > 0x7e)
            {
                return false;
            }
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }
            i++;
            if (i < encoded.Length && encoded[i] == '-')
            {
                sb.Append('&');
                i++;
                continue;
            }
            var bits = 0;
            var bitCount = 0;
            var highSurrogate = '\0';
            var produced = 0;
            var terminated = false;
            while (i < encoded.Length)
            {
                var b = encoded[i++];
                if (b == '-')
                {
                    terminated = true;
                    break;
                }
                var v = Base64Chars.IndexOf(b);
                if (v < 0)
                {
                    return false;
                }
                bits = (bits << 6) | v;
                bitCount += 6;
                if (bitCount >= 16)
                {
                    bitCount -= 16;
                    var unit = (char)((bits >> bitCount) & 0xFFFF);
                    bits &= (1 << bitCount) - 1;
                    produced++;
                    if (highSurrogate != '\0')
                    {
                        if (!char.IsLowSurrogate(unit))
                        {
                            return false;
                        }
                        sb.Append(highSurrogate).Append(unit);
                        highSurrogate = '\0';
                    }
                    else if (char.IsHighSurrogate(unit))
                    {
                        highSurrogate = unit;
                    }
                    else if (char.IsLowSurrogate(unit) || (unit >= 0x20 && unit <= 0x7e))
                    {
                        return false;
                    }
                    else
                    {
                        sb.Append(unit);
                    }
                }
            }
            if (!terminated || produced == 0 || highSurrogate != '\0' || bitCount >= 6 || bits != 0)
            {
                return false;
            }
        }
        decoded = sb.ToString();
        return true;
    }

    private static void AppendBase64(StringBuilder sb, ReadOnlySpan<char> units)
    {
        var bits = 0;
        var bitCount = 0;
        foreach (var u in units)
        {
            bits = (bits << 16) | u;
            bitCount += 16;
            while (bitCount >= 6)
            {
                bitCount -= 6;
                sb.Append(Base64Chars[(bits >> bitCount) & 0x3F]);
            }
            bits &= (1 << bitCount) - 1;
        }
        if (bitCount > 0)
        {
            sb.Append(Base64Chars[(bits << (6 - bitCount)) & 0x3F]);
        }
    }
}
