using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Imap.Parsing;
using Letterbox.Imap.Text;
using Letterbox.Mail.Search;

namespace Letterbox.Imap.Commands;

/// <summary>ESEARCH return options (RFC 4731 §3.1, RFC 5182 SAVE, RFC 9394 PARTIAL).</summary>
[Flags]
public enum SearchReturnOptions
{
    /// <summary>No RETURN clause: a classic <c>* SEARCH</c> answer.</summary>
    None = 0,
    /// <summary>MIN.</summary>
    Min = 1,
    /// <summary>MAX.</summary>
    Max = 2,
    /// <summary>ALL.</summary>
    All = 4,
    /// <summary>COUNT.</summary>
    Count = 8,
    /// <summary>SAVE.</summary>
    Save = 16,
    /// <summary>PARTIAL range (RFC 9394 §3.1); the range is the command's <c>Partial</c>.</summary>
    Partial = 32,
}

/// <summary>
/// <c>[UID] SEARCH [RETURN (opts)] [CHARSET name] keys</c> (RFC 9051 §6.4.4). <see cref="Return"/> is null when
/// there is no RETURN clause; <c>RETURN ()</c> is <see cref="SearchReturnOptions.All"/> per RFC 4731.
/// Charset is upper-cased, null when absent; string arguments are already decoded from it. <see cref="Partial"/> is
/// the range of <c>RETURN (PARTIAL range)</c> (RFC 9394 §3.1), null without it.
/// </summary>
public sealed record SearchCommand(bool Uid, string? Charset, SearchKey Key, SearchReturnOptions? Return = null, PartialRange? Partial = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SEARCH";

    /// <summary>
    /// <c>[SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"] SP ["CHARSET" SP charset SP]
    /// search-key *(SP search-key)</c> (RFC 9051 §9, RFC 4731). Search strings are decoded from the charset
    /// (<see cref="SearchCharsets"/>); one with no known decoder is NO [BADCHARSET (…)] (RFC 9051 §6.4.4, §7.1).
    /// </summary>
    internal static SearchCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("search criteria");
        SearchReturnOptions? ret = null;
        PartialRange? partial = null;
        if (p.TryKeyword("RETURN"u8))
        {
            p.Sp("'(' starting the return options");
            ret = ReturnOpts(ref p, out partial);
            p.Sp("search criteria");
        }
        string? charset = null;
        var encoding = Encoding.UTF8;
        if (p.TryKeyword("CHARSET"u8))
        {
            p.Sp("a charset name");
            (charset, encoding) = CharsetRule(ref p);
            p.Sp("search criteria");
        }
        return new SearchCommand(uid, charset, SearchKeys(ref p, encoding), ret, partial);
    }

    /// <summary><c>charset</c> (RFC 9051 §9), upper-cased; also the mandatory charset of SORT and THREAD (RFC 5256
    /// §5). Charsets other than UTF-8 and US-ASCII are NO [BADCHARSET (UTF-8 US-ASCII)].</summary>
    internal static string CharsetArgument(ref ImapParser p)
    {
        var charset = p.AString("charset name").ToUpperInvariant();
        if (charset != "UTF-8" && charset != "US-ASCII")
        {
            throw new ImapParseException($"Unsupported charset {charset}: use UTF-8 or US-ASCII", "BADCHARSET (UTF-8 US-ASCII)", isNo: true);
        }
        return charset;
    }

    /// <summary><c>search-key *(SP search-key)</c> with UTF-8 strings: several keys are ANDed (RFC 9051 §6.4.4).</summary>
    internal static SearchKey SearchKeys(ref ImapParser p) => SearchKeys(ref p, Encoding.UTF8);

    /// <summary><c>search-key *(SP search-key)</c>, strings decoded with <paramref name="encoding"/> (SEARCH's CHARSET).</summary>
    internal static SearchKey SearchKeys(ref ImapParser p, Encoding encoding)
    {
        var keys = new List<SearchKey>();
        do
        {
            keys.Add(SearchKeyRule(ref p, encoding));
        }
        while (p.TrySp());
        return keys.Count == 1 ? keys[0] : new AndKey(keys);
    }

    /// <summary><c>"(" [search-return-opt *(SP search-return-opt)] ")"</c> (RFC 4731 §3.1, RFC 5182, RFC 9394 §4):
    /// MIN, MAX, ALL, COUNT, SAVE and <c>PARTIAL range</c>; <c>()</c> is ALL. ALL together with PARTIAL, or PARTIAL
    /// twice, is BAD (RFC 9394 §3.1).</summary>
    internal static SearchReturnOptions ReturnOpts(ref ImapParser p, out PartialRange? partial)
    {
        p.Expect((byte)'(', "'(' starting the return options");
        var ret = SearchReturnOptions.None;
        partial = null;
        while (!p.TryConsume((byte)')'))
        {
            p.TrySp();
            var name = p.UpperAtom("search return option");
            if (name == "PARTIAL")
            {
                if (partial is not null)
                {
                    throw ImapParser.Bad("PARTIAL may be given only once (RFC 9394 §3.1)");
                }
                p.Sp("a PARTIAL range");
                partial = PartialRange.Parse(ref p);
                ret |= SearchReturnOptions.Partial;
                continue;
            }
            ret |= name switch
            {
                "MIN" => SearchReturnOptions.Min,
                "MAX" => SearchReturnOptions.Max,
                "ALL" => SearchReturnOptions.All,
                "COUNT" => SearchReturnOptions.Count,
                "SAVE" => SearchReturnOptions.Save,
                _ => throw ImapParser.Bad($"Unknown search return option {name}"),
            };
        }
        if ((ret & (SearchReturnOptions.All | SearchReturnOptions.Partial)) == (SearchReturnOptions.All | SearchReturnOptions.Partial))
        {
            throw ImapParser.Bad("ALL and PARTIAL cannot be combined (RFC 9394 §3.1)");
        }
        return ret == SearchReturnOptions.None ? SearchReturnOptions.All : ret;
    }

    /// <summary><c>charset</c> (RFC 9051 §9: atom or quoted): its upper-cased name and decoder. Throws NO
    /// [BADCHARSET (…)] when no decoder is known (RFC 9051 §6.4.4).</summary>
    internal static (string Name, Encoding Encoding) CharsetRule(ref ImapParser p)
    {
        var name = p.AString("charset name").ToUpperInvariant();
        if (!SearchCharsets.TryGet(name, out var encoding))
        {
            throw new ImapParseException($"Unsupported charset {name}", SearchCharsets.BadCharsetCode, isNo: true);
        }
        return (name, encoding);
    }

    /// <summary><c>search-key</c> with UTF-8 strings.</summary>
    internal static SearchKey SearchKeyRule(ref ImapParser p) => SearchKeyRule(ref p, Encoding.UTF8);

    /// <summary><c>search-key</c> (RFC 9051 §9, RFC 3501 §6.4.4, RFC 5032 OLDER/YOUNGER, RFC 7162 MODSEQ); search
    /// strings decoded with <paramref name="encoding"/> (the command's CHARSET).</summary>
    internal static SearchKey SearchKeyRule(ref ImapParser p, Encoding encoding)
    {
        p.EnterRecursion();
        try
        {
            if (p.TryConsume((byte)'('))
            {
                p.EnterNest();
                var keys = new List<SearchKey>();
                while (true)
                {
                    keys.Add(SearchKeyRule(ref p, encoding));
                    if (p.TryConsume((byte)')'))
                    {
                        break;
                    }
                    p.Sp("a search key or ')'");
                }
                p.ExitNest();
                return keys.Count == 1 ? keys[0] : new AndKey(keys);
            }
            if (p.AtSequenceSet)
            {
                return new SequenceSetKey(p.SequenceSet(), false);
            }
            var name = p.UpperAtom("a search key");
            switch (name)
            {
                case "ALL": return AllKey.Instance;
                case "ANSWERED": return new FlagKey(MessageFlags.Answered, true);
                case "DELETED": return new FlagKey(MessageFlags.Deleted, true);
                case "DRAFT": return new FlagKey(MessageFlags.Draft, true);
                case "FLAGGED": return new FlagKey(MessageFlags.Flagged, true);
                case "SEEN": return new FlagKey(MessageFlags.Seen, true);
                case "UNANSWERED": return new FlagKey(MessageFlags.Answered, false);
                case "UNDELETED": return new FlagKey(MessageFlags.Deleted, false);
                case "UNDRAFT": return new FlagKey(MessageFlags.Draft, false);
                case "UNFLAGGED": return new FlagKey(MessageFlags.Flagged, false);
                case "UNSEEN": return new FlagKey(MessageFlags.Seen, false);
                case "NEW": return new AndKey([new RecentKey(true), new FlagKey(MessageFlags.Seen, false)]);
                case "OLD": return new RecentKey(false);
                case "RECENT": return new RecentKey(true);
                case "BCC":
                case "CC":
                case "FROM":
                case "SUBJECT":
                case "TO":
                    return new HeaderKey(name, Str(ref p, encoding));
                case "HEADER":
                    {
                        p.Sp("a header field name");
                        var field = p.AString("header field name");
                        return new HeaderKey(field, Str(ref p, encoding));
                    }
                case "BODY": return new BodyKey(Str(ref p, encoding));
                case "TEXT": return new TextKey(Str(ref p, encoding));
                case "KEYWORD":
                case "UNKEYWORD":
                    p.Sp("a keyword");
                    return new KeywordKey(p.Atom("keyword"), name == "KEYWORD");
                case "BEFORE": return new DateKey(DateField.Internal, DateComparison.Before, Date(ref p));
                case "ON": return new DateKey(DateField.Internal, DateComparison.On, Date(ref p));
                case "SINCE": return new DateKey(DateField.Internal, DateComparison.Since, Date(ref p));
                case "SENTBEFORE": return new DateKey(DateField.Sent, DateComparison.Before, Date(ref p));
                case "SENTON": return new DateKey(DateField.Sent, DateComparison.On, Date(ref p));
                case "SENTSINCE": return new DateKey(DateField.Sent, DateComparison.Since, Date(ref p));
                case "LARGER":
                case "SMALLER":
                    p.Sp("a size in bytes");
                    return new SizeKey(name == "LARGER", (long)p.Number64("size"));
                case "OLDER":
                case "YOUNGER":
                    {
                        p.Sp("an interval in seconds");
                        var seconds = p.Number64("interval in seconds");
                        if (seconds == 0)
                        {
                            throw ImapParser.Bad($"{name} needs an interval of at least 1 second");
                        }
                        return new WithinKey(name == "OLDER", (long)seconds);
                    }
                case "UID":
                    p.Sp("a UID set");
                    return new SequenceSetKey(p.SequenceSet(), true);
                case "NOT":
                    p.Sp("a search key after NOT");
                    return new NotKey(SearchKeyRule(ref p, encoding));
                case "OR":
                    {
                        p.Sp("a search key after OR");
                        var left = SearchKeyRule(ref p, encoding);
                        p.Sp("a second search key after OR");
                        return new OrKey(left, SearchKeyRule(ref p, encoding));
                    }
                case "MODSEQ":
                    p.Sp("a mod-sequence");
                    if (p.Peek() == '"')
                    {
                        p.String("entry name");
                        p.Sp("an entry type (priv, shared or all)");
                        var type = p.UpperAtom("entry type");
                        if (type != "PRIV" && type != "SHARED" && type != "ALL")
                        {
                            throw ImapParser.Bad("Invalid MODSEQ entry type: expected priv, shared or all");
                        }
                        p.Sp("a mod-sequence");
                    }
                    return new ModSeqKey(p.Number64("mod-sequence"));
                default:
                    throw ImapParser.Bad($"Unknown search key {name}");
            }
        }
        finally
        {
            p.ExitRecursion();
        }
    }

    private static string Str(ref ImapParser p, Encoding encoding)
    {
        p.Sp("a search string");
        return encoding.GetString(p.AStringBytes("search string"));
    }

    private static DateOnly Date(ref ImapParser p)
    {
        p.Sp("a date (d-Mon-yyyy)");
        var text = p.Peek() == '"' ? p.String("date") : p.Atom("date");
        if (!Text.ImapDateTime.TryParseDate(text, out var date))
        {
            throw ImapParser.Bad($"Invalid date {text}: expected d-Mon-yyyy, e.g. 1-Feb-1994");
        }
        return date;
    }
}
