using Letterbox.Imap.Parsing;
using Letterbox.Mail.Search;

namespace Letterbox.Imap.Commands;

/// <summary>A threading algorithm (RFC 5256 §3 <c>thread-alg</c>).</summary>
public enum ThreadAlgorithm
{
    /// <summary>ORDEREDSUBJECT: by base subject, then sent date.</summary>
    OrderedSubject,
    /// <summary>REFERENCES: by Message-ID/References/In-Reply-To, then base subject.</summary>
    References,
    /// <summary>REFS (draft-ietf-morg-inthread): REFERENCES without subject gathering, threads ordered by their
    /// newest message.</summary>
    Refs,
}

/// <summary><c>[UID] THREAD algorithm charset search-keys</c> (RFC 5256 §3; REFS, draft-ietf-morg-inthread).</summary>
public sealed record ThreadCommand(bool Uid, ThreadAlgorithm Algorithm, string Charset, SearchKey Key) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "THREAD";

    /// <summary><c>SP thread-alg SP search-criteria</c> (RFC 5256 §5). An unknown algorithm is BAD; a charset other
    /// than UTF-8/US-ASCII is NO [BADCHARSET].</summary>
    internal static ThreadCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("a threading algorithm");
        var name = p.UpperAtom("a threading algorithm");
        var algorithm = name switch
        {
            "ORDEREDSUBJECT" => ThreadAlgorithm.OrderedSubject,
            "REFERENCES" => ThreadAlgorithm.References,
            "REFS" => ThreadAlgorithm.Refs,
            _ => throw ImapParser.Bad($"Unknown threading algorithm {name}: expected ORDEREDSUBJECT, REFERENCES or REFS"),
        };
        p.Sp("a charset");
        var charset = SearchCommand.CharsetArgument(ref p);
        p.Sp("search criteria");
        return new ThreadCommand(uid, algorithm, charset, SearchCommand.SearchKeys(ref p));
    }
}
