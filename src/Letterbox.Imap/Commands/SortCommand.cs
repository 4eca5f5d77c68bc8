using Letterbox.Imap.Parsing;
using Letterbox.Mail.Search;
using Letterbox.Mail.Sorting;

namespace Letterbox.Imap.Commands;

/// <summary>
/// <c>[UID] SORT [RETURN (opts)] (criteria) charset search-keys</c> (RFC 5256 §3, DISPLAYFROM/DISPLAYTO RFC 5957 §4,
/// RETURN = ESORT RFC 5267 §3). <see cref="Return"/> is null without RETURN; <c>RETURN ()</c> means ALL.
/// <see cref="Partial"/> is the range of <c>RETURN (PARTIAL range)</c> (RFC 9394 §3.1, RFC 5267 §4.4), in sort order.
/// </summary>
public sealed record SortCommand(bool Uid, IReadOnlyList<SortCriterion> Criteria, string Charset, SearchKey Key, SearchReturnOptions? Return = null, PartialRange? Partial = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SORT";

    /// <summary>
    /// <c>SP ["RETURN" SP "(" [sort-return-opt *(SP sort-return-opt)] ")" SP] sort-criteria SP search-criteria</c>
    /// (RFC 5256 §5, RFC 5267 §5). Return options are MIN, MAX, ALL, COUNT, SAVE (RFC 5182) and PARTIAL (RFC 9394).
    /// An unknown key or empty criteria list is BAD; a charset other than UTF-8/US-ASCII is NO [BADCHARSET].
    /// </summary>
    internal static SortCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("sort criteria");
        SearchReturnOptions? ret = null;
        PartialRange? partial = null;
        if (p.TryKeyword("RETURN"u8))
        {
            p.Sp("'(' starting the return options");
            ret = SearchCommand.ReturnOpts(ref p, out partial);
            p.Sp("sort criteria");
        }
        var criteria = SortCriteria(ref p);
        p.Sp("a charset");
        var charset = SearchCommand.CharsetArgument(ref p);
        p.Sp("search criteria");
        return new SortCommand(uid, criteria, charset, SearchCommand.SearchKeys(ref p), ret, partial);
    }

    /// <summary><c>"(" sort-criterion *(SP sort-criterion) ")"</c>, <c>sort-criterion = ["REVERSE" SP] sort-key</c>.</summary>
    private static List<SortCriterion> SortCriteria(ref ImapParser p)
    {
        p.Expect((byte)'(', "'(' starting the sort criteria");
        var criteria = new List<SortCriterion>();
        do
        {
            var name = p.UpperAtom("a sort key");
            var reverse = name == "REVERSE";
            if (reverse)
            {
                p.Sp("a sort key after REVERSE");
                name = p.UpperAtom("a sort key");
            }
            SortKey key = name switch
            {
                "ARRIVAL" => SortKey.Arrival,
                "CC" => SortKey.Cc,
                "DATE" => SortKey.Date,
                "FROM" => SortKey.From,
                "SIZE" => SortKey.Size,
                "SUBJECT" => SortKey.Subject,
                "TO" => SortKey.To,
                "DISPLAYFROM" => SortKey.DisplayFrom,
                "DISPLAYTO" => SortKey.DisplayTo,
                _ => throw ImapParser.Bad($"Unknown sort key {name}: expected ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM or DISPLAYTO"),
            };
            criteria.Add(new SortCriterion(key, reverse));
        }
        while (p.TrySp());
        p.Expect((byte)')', "')' ending the sort criteria");
        return criteria;
    }
}
