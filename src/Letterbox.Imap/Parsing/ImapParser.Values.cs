using System.Text;
using Letterbox.Imap.Text;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Parsing;

/// <summary>Numbers, sequence sets, mailbox names and flags (RFC 9051 §9).</summary>
internal ref partial struct ImapParser
{
    /// <summary><c>number64</c>: 0 ≤ n &lt; 2^63, not followed by other atom characters.</summary>
    public ulong Number64(string what)
    {
        var n = Digits(what);
        if (_pos < _s.Length && IsAtomChar(_s[_pos]))
        {
            throw Bad($"Expected a number for {what}");
        }
        return n;
    }

    /// <summary>1*DIGIT as a number below 2^63 (may be followed by anything, e.g. <c>.</c> in <c>1.2</c>).</summary>
    public ulong Digits(string what)
    {
        var start = _pos;
        ulong n = 0;
        while (_pos < _s.Length && _s[_pos] >= '0' && _s[_pos] <= '9')
        {
            var digit = (ulong)(_s[_pos] - '0');
            // number64 (RFC 9051 §9) and mod-sequence values (RFC 7162 §7) go up to 2^63 - 1 inclusive.
            if (n > ((ulong)long.MaxValue - digit) / 10)
            {
                throw Bad($"Number too large in {what}");
            }
            n = n * 10 + digit;
            _pos++;
        }
        if (_pos == start)
        {
            throw Bad(AtEnd ? $"Missing argument: expected {what}" : $"Expected a number for {what}");
        }
        return n;
    }

    /// <summary><c>number</c>: 0 ≤ n &lt; 2^32.</summary>
    public uint Number(string what)
    {
        var n = Number64(what);
        if (n > uint.MaxValue)
        {
            throw Bad($"Number too large in {what}");
        }
        return (uint)n;
    }

    /// <summary><c>nz-number</c> for a sequence set element (no trailing-char check).</summary>
    private uint SeqNumber()
    {
        if (TryConsume((byte)'*'))
        {
            return Mail.Messages.SequenceSet.Star;
        }
        var start = _pos;
        ulong n = 0;
        while (_pos < _s.Length && _s[_pos] >= '0' && _s[_pos] <= '9')
        {
            n = n * 10 + (ulong)(_s[_pos] - '0');
            if (n > uint.MaxValue)
            {
                throw Bad("Number too large in sequence set");
            }
            _pos++;
        }
        if (_pos == start)
        {
            throw Bad(AtEnd ? "Missing argument: expected a sequence set" : "Invalid sequence set");
        }
        if (n == 0)
        {
            throw Bad("Invalid sequence set: 0 is not a message number");
        }
        return (uint)n;
    }

    /// <summary><c>sequence-set</c> (RFC 9051 §9) or <c>$</c> (RFC 5182).</summary>
    public SequenceSet SequenceSet()
    {
        if (TryConsume((byte)'$'))
        {
            if (_pos < _s.Length && _s[_pos] != ' ' && _s[_pos] != ')')
            {
                throw Bad("Invalid sequence set");
            }
            return Mail.Messages.SequenceSet.SavedResult;
        }
        var ranges = new List<(uint Start, uint End)>();
        while (true)
        {
            var a = SeqNumber();
            var b = a;
            if (TryConsume((byte)':'))
            {
                b = SeqNumber();
            }
            if (ranges.Count >= Limits.MaxSequenceSetRanges)
            {
                throw Bad("Too many ranges in sequence set", "LIMIT");
            }
            ranges.Add((a, b));
            if (!TryConsume((byte)','))
            {
                break;
            }
        }
        if (_pos < _s.Length && _s[_pos] != ' ' && _s[_pos] != ')')
        {
            throw Bad("Invalid sequence set");
        }
        return new Mail.Messages.SequenceSet(ranges);
    }

    /// <summary>True when the next token looks like a sequence set.</summary>
    public readonly bool AtSequenceSet
    {
        get
        {
            var c = Peek();
            return (c >= '0' && c <= '9') || c == '*' || c == '$';
        }
    }

    /// <summary><c>mailbox</c>: astring, decoded from modified UTF-7 (or taken as UTF-8 when not valid modified
    /// UTF-7, RFC 9051 §5.1), with any case of INBOX as first component normalised to <c>INBOX</c>.</summary>
    public string Mailbox(string what = "mailbox name") => NormalizeMailbox(AString(what));

    /// <summary><c>list-mailbox</c>: list-char+ (wildcards allowed) or string, decoded like <see cref="Mailbox"/>.</summary>
    public string ListMailbox(string what = "mailbox pattern")
    {
        var c = Peek();
        if (c == '"' || c == '{' || c == '~')
        {
            return NormalizeMailbox(String(what));
        }
        var start = _pos;
        while (_pos < _s.Length && (IsAtomChar(_s[_pos]) || _s[_pos] == '%' || _s[_pos] == '*' || _s[_pos] == ']'))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Bad(AtEnd ? $"Missing argument: expected {what}" : $"Expected {what}");
        }
        return NormalizeMailbox(Encoding.UTF8.GetString(_s[start.._pos]));
    }

    public static string NormalizeMailbox(string raw)
    {
        var name = ModifiedUtf7.TryDecode(raw, out var decoded) ? decoded : raw;
        if (name.Length >= 5 && name.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase)
            && (name.Length == 5 || name[5] == '/') && !name.StartsWith("INBOX", StringComparison.Ordinal))
        {
            name = "INBOX" + name[5..];
        }
        return name;
    }

    /// <summary>
    /// One <c>flag</c>: a system flag (added to <paramref name="flags"/>; <c>\Recent</c> ignored) or a keyword
    /// (added to <paramref name="keywords"/>). Unknown <c>\Name</c> flags are BAD.
    /// </summary>
    public void Flag(ref MessageFlags flags, List<string> keywords)
    {
        if (TryConsume((byte)'\\'))
        {
            var name = AtomBytes("flag name after '\\'");
            if (EqualsIgnoreCase(name, "SEEN"u8))
            {
                flags |= MessageFlags.Seen;
            }
            else if (EqualsIgnoreCase(name, "ANSWERED"u8))
            {
                flags |= MessageFlags.Answered;
            }
            else if (EqualsIgnoreCase(name, "FLAGGED"u8))
            {
                flags |= MessageFlags.Flagged;
            }
            else if (EqualsIgnoreCase(name, "DELETED"u8))
            {
                flags |= MessageFlags.Deleted;
            }
            else if (EqualsIgnoreCase(name, "DRAFT"u8))
            {
                flags |= MessageFlags.Draft;
            }
            else if (!EqualsIgnoreCase(name, "RECENT"u8))
            {
                throw Bad($"Unknown system flag \\{Encoding.UTF8.GetString(name)}");
            }
            return;
        }
        var keyword = Atom("flag");
        for (var i = 0; i < keywords.Count; i++)
        {
            if (string.Equals(keywords[i], keyword, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        keywords.Add(keyword);
    }

    /// <summary><c>flag-list</c>: <c>"(" [flag *(SP flag)] ")"</c>.</summary>
    public void FlagList(ref MessageFlags flags, List<string> keywords)
    {
        Expect((byte)'(', "'(' starting the flag list");
        if (TryConsume((byte)')'))
        {
            return;
        }
        while (true)
        {
            Flag(ref flags, keywords);
            if (TryConsume((byte)')'))
            {
                return;
            }
            if (AtEnd)
            {
                throw Bad("Missing ')' closing the flag list");
            }
            Sp("a flag");
        }
    }
}
