using System.Text;

namespace Letterbox.Imap.Parsing;

/// <summary>The tag (RFC 9051 §9 <c>tag</c>).</summary>
internal ref partial struct ImapParser
{
    /// <summary>ASTRING-CHAR except <c>+</c>: printable US-ASCII but <c>( ) { % * " \ +</c> and SP.</summary>
    public static bool IsTagChar(byte c) =>
        c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' && c != '+';

    /// <summary>Reads the tag; BAD (untagged) when missing, invalid or longer than the limit.</summary>
    public string Tag()
    {
        var start = _pos;
        while (_pos < _s.Length && IsTagChar(_s[_pos]))
        {
            _pos++;
        }
        if (_pos == start || (_pos < _s.Length && _s[_pos] != ' '))
        {
            throw Bad("Invalid or missing tag");
        }
        if (_pos - start > Limits.MaxTagLength)
        {
            throw Bad($"Tag too long: the limit is {Limits.MaxTagLength} characters");
        }
        return Encoding.ASCII.GetString(_s[start.._pos]);
    }
}
