namespace Letterbox.Imap.Mime;

/// <summary>
/// Selects header fields by name for <c>HEADER.FIELDS</c> and <c>HEADER.FIELDS.NOT</c> (RFC 9051 §6.4.5).
/// </summary>
public static class HeaderFieldFilter
{
    /// <summary>
    /// Returns the fields of <paramref name="header"/> whose names are (<paramref name="exclude"/> false) or are
    /// not (true) in <paramref name="fieldNames"/>, compared case-insensitively (ASCII), each with its folded
    /// continuation lines, in message order, followed by the blank line <c>CRLF</c> that ends a header.
    /// Reading stops at the first empty line. Lines that are neither a field (<c>name:</c>) nor a continuation
    /// are dropped.
    /// </summary>
    /// <param name="header">Header octets, optionally including the terminating blank line.</param>
    /// <param name="fieldNames">Field names as the client wrote them.</param>
    /// <param name="exclude">True for HEADER.FIELDS.NOT.</param>
    public static byte[] Filter(ReadOnlySpan<byte> header, IReadOnlyList<string> fieldNames, bool exclude)
    {
        var result = new byte[header.Length + 2];
        var length = 0;
        var include = false;
        var position = 0;
        while (position < header.Length)
        {
            var rest = header[position..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..(newline + 1)];
            position += line.Length;

            if (line[0] == (byte)'\n' || (line[0] == (byte)'\r' && line.Length > 1 && line[1] == (byte)'\n'))
            {
                break;
            }
            if (line[0] != (byte)' ' && line[0] != (byte)'\t')
            {
                var colon = line.IndexOf((byte)':');
                include = colon > 0 && Matches(line[..colon].TrimEnd(" \t"u8), fieldNames) != exclude;
            }
            if (include)
            {
                line.CopyTo(result.AsSpan(length));
                length += line.Length;
                if (line[^1] != (byte)'\n')
                {
                    // A header cut off mid-line: end the line so the blank line below still ends the header.
                    result[length++] = (byte)'\r';
                    result[length++] = (byte)'\n';
                    break;
                }
            }
        }
        if (length + 2 > result.Length)
        {
            Array.Resize(ref result, length + 2);
        }
        result[length++] = (byte)'\r';
        result[length++] = (byte)'\n';
        return length == result.Length ? result : result.AsSpan(0, length).ToArray();
    }

    private static bool Matches(ReadOnlySpan<byte> name, IReadOnlyList<string> fieldNames)
    {
        for (var i = 0; i < fieldNames.Count; i++)
        {
            if (EqualsIgnoreCase(name, fieldNames[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> name, string candidate)
    {
        if (name.Length != candidate.Length)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var a = name[i];
            var b = candidate[i];
            if (b >= 0x80)
            {
                return false;
            }
            if (a == b)
            {
                continue;
            }
            if ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z')
            {
                return false;
            }
        }
        return true;
    }
}
