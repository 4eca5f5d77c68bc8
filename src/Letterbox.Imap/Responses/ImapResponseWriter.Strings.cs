using System.Text;
using Letterbox.Imap.Text;

namespace Letterbox.Imap.Responses;

public sealed partial class ImapResponseWriter
{
    /// <summary>
    /// Longest string (in chars) sent as a quoted string; longer ones go as literals so no response line grows
    /// without bound (RFC 9051 §4.3 leaves the choice to the sender).
    /// </summary>
    public const int MaxQuotedLength = 1024;

    /// <summary>Writes <c>NIL</c> for null, otherwise <see cref="WriteString"/> (RFC 9051 §9 <c>nstring</c>).</summary>
    public void WriteNString(string? value)
    {
        if (value is null)
        {
            WriteNil();
        }
        else
        {
            WriteString(value);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> as an IMAP <c>string</c> (RFC 9051 §4.3): a quoted string, with <c>\</c>
    /// and <c>"</c> escaped, when it has at most <see cref="MaxQuotedLength"/> chars, no CR, LF or NUL, and no
    /// non-ASCII char unless <see cref="AllowUtf8"/>; otherwise a literal <c>{n}CRLF</c> followed by its UTF-8
    /// octets. The empty string is <c>""</c>.
    /// </summary>
    public void WriteString(string value) => WriteStringCore(value, AllowUtf8);

    /// <summary>
    /// Writes <paramref name="value"/> as an atom when every char is an <c>ASTRING-CHAR</c> (RFC 9051 §9
    /// <c>astring</c>), else as <see cref="WriteString(string)"/>. <c>NIL</c> (any case) is always quoted so a
    /// client never mistakes it for nil.
    /// </summary>
    public void WriteAString(string value) => WriteAStringCore(value, AllowUtf8);

    /// <summary>
    /// Writes a mailbox name (RFC 9051 §9 <c>mailbox</c>, §5.1.3): <c>INBOX</c> (any case) as the atom
    /// <c>INBOX</c>; others as an astring, encoded in modified UTF-7 unless <paramref name="utf8"/>
    /// (UTF8=ACCEPT / IMAP4rev2), in which case UTF-8 may appear in a quoted string.
    /// </summary>
    /// <param name="name">The mailbox name as stored (Unicode, hierarchy delimiter included).</param>
    /// <param name="utf8">True to send UTF-8; false for modified UTF-7.</param>
    public void WriteMailboxName(string name, bool utf8)
    {
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            WriteRaw("INBOX"u8);
            return;
        }
        WriteAStringCore(utf8 ? name : ModifiedUtf7.Encode(name), utf8);
    }

    /// <summary>Writes a mailbox name per <see cref="WriteMailboxName(string, bool)"/> using <see cref="AllowUtf8"/>.</summary>
    public void WriteMailboxName(string name) => WriteMailboxName(name, AllowUtf8);

    /// <summary>
    /// Writes human-readable <c>text</c> (RFC 9051 §9 <c>text</c>) as UTF-8; CR, LF and NUL, which it may not
    /// contain, are replaced by spaces.
    /// </summary>
    public void WriteText(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var span = _output.GetSpan(count);
        var written = Encoding.UTF8.GetBytes(text, span);
        for (var i = 0; i < written; i++)
        {
            var b = span[i];
            if (b == (byte)'\r' || b == (byte)'\n' || b == 0)
            {
                span[i] = (byte)' ';
            }
        }
        _output.Advance(written);
    }

    /// <summary>Returns whether <paramref name="value"/> can be sent as an atom in an <c>astring</c>
    /// (non-empty, only <c>ASTRING-CHAR</c>s, RFC 9051 §9).</summary>
    public static bool IsAStringAtom(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c <= ' ' || c >= 0x7F || c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"' || c == '\\')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Returns whether <paramref name="value"/> is an <c>atom</c> (RFC 9051 §9): as
    /// <see cref="IsAStringAtom"/> but without <c>]</c>. Flag keywords must be atoms.</summary>
    public static bool IsAtom(string value) => IsAStringAtom(value) && !value.Contains(']', StringComparison.Ordinal);

    private void WriteAStringCore(string value, bool allowUtf8)
    {
        if (IsAStringAtom(value) && !(value.Length == 3 && string.Equals(value, "NIL", StringComparison.OrdinalIgnoreCase)))
        {
            WriteAtom(value);
        }
        else
        {
            WriteStringCore(value, allowUtf8);
        }
    }

    private void WriteStringCore(string value, bool allowUtf8)
    {
        var escapes = 0;
        var ascii = true;
        var quotable = value.Length <= MaxQuotedLength;
        for (var i = 0; i < value.Length && quotable; i++)
        {
            var c = value[i];
            if (c == '"' || c == '\\')
            {
                escapes++;
            }
            else if (c == '\r' || c == '\n' || c == '\0')
            {
                quotable = false;
            }
            else if (c >= 0x80)
            {
                ascii = false;
                quotable = allowUtf8;
            }
        }

        if (!quotable)
        {
            WriteLiteral(value);
        }
        else if (ascii)
        {
            WriteQuotedAscii(value, escapes);
        }
        else
        {
            WriteQuotedUtf8(value, escapes);
        }
    }

    private void WriteLiteral(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteLiteralHeader(count);
        var span = _output.GetSpan(count);
        var written = Encoding.UTF8.GetBytes(value, span);
        _output.Advance(written);
    }

    private void WriteQuotedAscii(string value, int escapes)
    {
        var span = _output.GetSpan(value.Length + escapes + 2);
        var j = 0;
        span[j++] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"' || c == '\\')
            {
                span[j++] = (byte)'\\';
            }
            span[j++] = (byte)c;
        }
        span[j++] = (byte)'"';
        _output.Advance(j);
    }

    private void WriteQuotedUtf8(string value, int escapes)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetByteCount(value) + escapes + 2);
        var j = 0;
        span[j++] = (byte)'"';
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"' || c == '\\')
            {
                j += Encoding.UTF8.GetBytes(value.AsSpan(start, i - start), span[j..]);
                span[j++] = (byte)'\\';
                span[j++] = (byte)c;
                start = i + 1;
            }
        }
        j += Encoding.UTF8.GetBytes(value.AsSpan(start), span[j..]);
        span[j++] = (byte)'"';
        _output.Advance(j);
    }
}
