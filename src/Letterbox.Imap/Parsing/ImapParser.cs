using System.Text;
using Letterbox.Mail.Store;

namespace Letterbox.Imap.Parsing;

/// <summary>
/// Cursor over one assembled command (lines without CRLF, inline literal data directly after its <c>{n}</c>
/// announcement, APPEND message literals replaced by staged messages). Grammar primitives of RFC 9051 §9;
/// every failure throws <see cref="ImapParseException"/>.
/// </summary>
internal ref partial struct ImapParser
{
    private readonly ReadOnlySpan<byte> _s;
    private readonly List<int> _literalStarts;
    private readonly List<int> _streamedStarts;
    private readonly List<IStagedMessage> _staged;
    private int _pos;
    private int _stagedIndex;
    private int _depth;
    private int _recursion;

    public ImapParser(ReadOnlySpan<byte> command, ImapLimits limits, List<int> literalStarts, List<int> streamedStarts,
        List<IStagedMessage> staged)
    {
        _s = command;
        Limits = limits;
        _literalStarts = literalStarts;
        _streamedStarts = streamedStarts;
        _staged = staged;
    }

    public ImapLimits Limits { get; }

    public readonly bool AtEnd => _pos >= _s.Length;

    public readonly int Peek() => _pos < _s.Length ? _s[_pos] : -1;

    public static ImapParseException Bad(string text, string? code = null) => new(text, code);

    public bool TryConsume(byte b)
    {
        if (_pos < _s.Length && _s[_pos] == b)
        {
            _pos++;
            return true;
        }
        return false;
    }

    public void Expect(byte b, string what)
    {
        if (!TryConsume(b))
        {
            throw Bad(AtEnd ? $"Missing {what}" : $"Expected {what}");
        }
    }

    /// <summary>Requires a space before the next argument (several are tolerated).</summary>
    public void Sp(string next)
    {
        if (!TryConsume((byte)' '))
        {
            throw Bad(AtEnd ? $"Missing argument: expected {next}" : $"Expected a space before {next}");
        }
        while (TryConsume((byte)' '))
        {
        }
        if (AtEnd)
        {
            throw Bad($"Missing argument: expected {next}");
        }
    }

    /// <summary>Consumes spaces if more arguments follow; false at the end of the command.</summary>
    public bool TrySp()
    {
        var start = _pos;
        while (TryConsume((byte)' '))
        {
        }
        if (AtEnd || _pos == start)
        {
            return false;
        }
        return true;
    }

    /// <summary>Requires the end of the command (trailing spaces tolerated).</summary>
    public void End()
    {
        while (TryConsume((byte)' '))
        {
        }
        if (!AtEnd)
        {
            throw Bad("Unexpected extra arguments");
        }
    }

    public void EnterNest()
    {
        if (++_depth > Limits.MaxNestingDepth)
        {
            throw Bad("Too deeply nested parentheses", "LIMIT");
        }
    }

    public void ExitNest() => _depth--;

    public void EnterRecursion()
    {
        if (++_recursion > Limits.MaxNestingDepth * 8)
        {
            throw Bad("Too deeply nested search keys", "LIMIT");
        }
    }

    public void ExitRecursion() => _recursion--;

    public static bool IsAtomChar(int c) =>
        c > 0x20 && c != 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' && c != ']';

    /// <summary>ATOM-CHAR+ (bytes ≥ 0x80 tolerated for clients that send raw UTF-8).</summary>
    public ReadOnlySpan<byte> AtomBytes(string what)
    {
        var start = _pos;
        while (_pos < _s.Length && IsAtomChar(_s[_pos]))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Bad(AtEnd ? $"Missing argument: expected {what}" : $"Expected {what}");
        }
        return _s[start.._pos];
    }

    public string Atom(string what) => Encoding.UTF8.GetString(AtomBytes(what));

    public string UpperAtom(string what) => Atom(what).ToUpperInvariant();

    /// <summary>Peeks at the next atom without consuming it (empty when none).</summary>
    public readonly ReadOnlySpan<byte> PeekAtom()
    {
        var end = _pos;
        while (end < _s.Length && IsAtomChar(_s[end]))
        {
            end++;
        }
        return _s[_pos..end];
    }

    /// <summary>Consumes the next atom when it equals <paramref name="upperWord"/> case-insensitively.</summary>
    public bool TryKeyword(ReadOnlySpan<byte> upperWord)
    {
        var atom = PeekAtom();
        if (EqualsIgnoreCase(atom, upperWord))
        {
            _pos += atom.Length;
            return true;
        }
        return false;
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> upper)
    {
        if (a.Length != upper.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            if (c >= 'a' && c <= 'z')
            {
                c = (byte)(c - 32);
            }
            if (c != upper[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>astring</c>: atom (with <c>]</c>), quoted or literal; UTF-8 decoded.</summary>
    public string AString(string what) => Encoding.UTF8.GetString(AStringBytes(what));

    public ReadOnlySpan<byte> AStringBytes(string what)
    {
        var c = Peek();
        if (c == '"' || c == '{' || c == '~')
        {
            return StringBytes(what);
        }
        var start = _pos;
        while (_pos < _s.Length && (IsAtomChar(_s[_pos]) || _s[_pos] == ']'))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Bad(AtEnd ? $"Missing argument: expected {what}" : $"Expected {what}");
        }
        return _s[start.._pos];
    }

    /// <summary><c>string</c>: quoted or literal.</summary>
    public string String(string what) => Encoding.UTF8.GetString(StringBytes(what));

    public ReadOnlySpan<byte> StringBytes(string what)
    {
        var c = Peek();
        if (c == '"')
        {
            return Quoted(what);
        }
        if (c == '{' || c == '~')
        {
            return Literal(what);
        }
        throw Bad(AtEnd ? $"Missing argument: expected {what}" : $"Expected {what} as a quoted string or literal");
    }

    /// <summary><c>nstring</c>: NIL or string.</summary>
    public string? NString(string what)
    {
        if (TryKeyword("NIL"u8))
        {
            return null;
        }
        return String(what);
    }

    private ReadOnlySpan<byte> Quoted(string what)
    {
        _pos++; // opening quote
        var start = _pos;
        var escaped = false;
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c == '"')
            {
                break;
            }
            if (c == '\\')
            {
                escaped = true;
                _pos++;
                if (_pos >= _s.Length)
                {
                    break;
                }
                if (_s[_pos] != '"' && _s[_pos] != '\\')
                {
                    throw Bad($"Invalid escape in quoted {what}: only \\\\ and \\\" are allowed");
                }
            }
            else if (c == 0)
            {
                throw Bad($"NUL in quoted {what}");
            }
            _pos++;
        }
        if (_pos >= _s.Length)
        {
            throw Bad($"Unterminated quoted string in {what}");
        }
        var raw = _s[start.._pos];
        _pos++; // closing quote
        if (!escaped)
        {
            return raw;
        }
        var buf = new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                i++;
            }
            buf[n++] = raw[i];
        }
        return buf.AsSpan(0, n);
    }

    /// <summary>Reads a literal header <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c>; returns the length and the position
    /// where its data starts.</summary>
    private long LiteralHeader(string what, out bool literal8)
    {
        literal8 = TryConsume((byte)'~');
        Expect((byte)'{', $"literal for {what}");
        long n = 0;
        var digits = 0;
        while (_pos < _s.Length && _s[_pos] >= '0' && _s[_pos] <= '9')
        {
            if (n > (long.MaxValue - 9) / 10)
            {
                throw Bad("Literal length too large", "TOOBIG");
            }
            n = n * 10 + (_s[_pos] - '0');
            _pos++;
            digits++;
        }
        if (digits == 0)
        {
            throw Bad($"Invalid literal length in {what}");
        }
        TryConsume((byte)'+');
        Expect((byte)'}', $"'}}' closing the literal length in {what}");
        return n;
    }

    private ReadOnlySpan<byte> Literal(string what)
    {
        var n = LiteralHeader(what, out _);
        if (!_literalStarts.Contains(_pos))
        {
            throw Bad($"Literal in {what} must be followed by CRLF");
        }
        if (n > _s.Length - _pos)
        {
            throw Bad($"Literal in {what} is shorter than announced");
        }
        var data = _s.Slice(_pos, (int)n);
        _pos += (int)n;
        return data;
    }

    /// <summary>An APPEND message literal (<c>{n}</c>, <c>{n+}</c> or <c>~{n}</c>) whose data the caller streamed.</summary>
    public IStagedMessage StreamedLiteral()
    {
        LiteralHeader("message", out _);
        if (!_streamedStarts.Contains(_pos) || _stagedIndex >= _staged.Count)
        {
            throw Bad("Expected the message as a literal at the end of a line");
        }
        return _staged[_stagedIndex++];
    }

    /// <summary>True when the next token is a literal header.</summary>
    public readonly bool AtLiteral => Peek() == '{' || (Peek() == '~' && _pos + 1 < _s.Length && _s[_pos + 1] == '{');
}
