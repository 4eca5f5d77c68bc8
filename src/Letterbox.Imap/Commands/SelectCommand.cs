using Letterbox.Imap.Parsing;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Commands;

/// <summary><c>SELECT mailbox</c> (ReadOnly false) or <c>EXAMINE mailbox</c> (ReadOnly true), RFC 9051 §6.3.2–3.
/// Mailbox is decoded from modified UTF-7 to Unicode. Condstore is set by the <c>(CONDSTORE)</c> select parameter
/// (RFC 7162 §3.1.8); QResync holds the <c>(QRESYNC (…))</c> parameter (RFC 7162 §3.2.5), which implies
/// CONDSTORE.</summary>
public sealed record SelectCommand(string Mailbox, bool ReadOnly, bool Condstore = false, QResyncParameters? QResync = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SELECT";

    /// <summary><c>SP mailbox [SP "(" select-param *(SP select-param) ")"]</c>; the known parameters are CONDSTORE
    /// (RFC 7162 §3.1.8) and QRESYNC (§3.2.5, each at most once).</summary>
    internal static SelectCommand Parse(ref ImapParser p, bool readOnly)
    {
        p.Sp("a mailbox name");
        var mailbox = p.Mailbox();
        var condstore = false;
        QResyncParameters? qresync = null;
        if (p.TrySp())
        {
            p.Expect((byte)'(', "'(' starting the select parameters");
            while (!p.TryConsume((byte)')'))
            {
                if (p.AtEnd)
                {
                    throw ImapParser.Bad("Missing ')' closing the select parameters");
                }
                p.TrySp();
                var name = p.UpperAtom("select parameter");
                switch (name)
                {
                    case "CONDSTORE":
                        condstore = true;
                        break;
                    case "QRESYNC" when qresync is null:
                        qresync = QResyncParameters.Parse(ref p);
                        break;
                    case "QRESYNC":
                        throw ImapParser.Bad("QRESYNC given twice");
                    default:
                        throw ImapParser.Bad($"Unknown select parameter {name}");
                }
            }
        }
        return new SelectCommand(mailbox, readOnly, condstore || qresync is not null, qresync);
    }
}

/// <summary>
/// The QRESYNC select parameter (RFC 7162 §3.2.5): what the client last knew of the mailbox.
/// </summary>
/// <param name="UidValidity">The client's last known UIDVALIDITY (nz-number); if it differs from the mailbox's,
/// the other values are ignored (§3.2.5).</param>
/// <param name="ModSeq">The client's last known mod-sequence (1 ≤ n &lt; 2^63).</param>
/// <param name="KnownUids">The UIDs the client knows (no <c>*</c>), or null: then every UID below UIDNEXT
/// (§3.2.5.1).</param>
/// <param name="KnownSequenceSet">Message sequence match data: sequence numbers, ascending (§3.2.5.2), or null.</param>
/// <param name="KnownUidSet">The UIDs matching <paramref name="KnownSequenceSet"/> one to one, or null.</param>
public sealed record QResyncParameters(
    uint UidValidity,
    ulong ModSeq,
    SequenceSet? KnownUids,
    SequenceSet? KnownSequenceSet,
    SequenceSet? KnownUidSet)
{
    /// <summary><c>SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"</c>, with
    /// <c>seq-match-data = "(" known-sequence-set SP known-uid-set ")"</c> (RFC 7162 §7). <c>*</c> and <c>$</c> are
    /// not allowed in any of the sets; the two match sets must name as many numbers.</summary>
    internal static QResyncParameters Parse(ref ImapParser p)
    {
        p.Sp("'(' starting the QRESYNC parameters");
        p.Expect((byte)'(', "'(' starting the QRESYNC parameters");
        var uidValidity = p.Number("QRESYNC UIDVALIDITY");
        if (uidValidity == 0)
        {
            throw ImapParser.Bad("QRESYNC UIDVALIDITY must not be 0");
        }
        p.Sp("the QRESYNC mod-sequence");
        var modSeq = p.Number64("QRESYNC mod-sequence");
        if (modSeq == 0)
        {
            throw ImapParser.Bad("QRESYNC mod-sequence must not be 0");
        }
        SequenceSet? knownUids = null;
        SequenceSet? knownSequenceSet = null;
        SequenceSet? knownUidSet = null;
        if (p.TrySp())
        {
            if (p.Peek() != '(')
            {
                knownUids = Known(ref p, "known-uids");
            }
            if (knownUids is null || p.TrySp())
            {
                p.Expect((byte)'(', "'(' starting the sequence match data");
                knownSequenceSet = Known(ref p, "known-sequence-set");
                p.Sp("the known-uid-set");
                knownUidSet = Known(ref p, "known-uid-set");
                p.Expect((byte)')', "')' closing the sequence match data");
                if (Count(knownSequenceSet) != Count(knownUidSet))
                {
                    throw ImapParser.Bad("QRESYNC sequence match data: the two sets must have as many numbers");
                }
            }
        }
        p.Expect((byte)')', "')' closing the QRESYNC parameters");
        return new QResyncParameters(uidValidity, modSeq, knownUids, knownSequenceSet, knownUidSet);
    }

    private static SequenceSet Known(ref ImapParser p, string what)
    {
        if (p.Peek() == '$')
        {
            throw ImapParser.Bad($"$ is not allowed in {what}");
        }
        var set = p.SequenceSet();
        var ranges = set.Ranges;
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Start == SequenceSet.Star || ranges[i].End == SequenceSet.Star)
            {
                throw ImapParser.Bad($"* is not allowed in {what} (RFC 7162 §7)");
            }
        }
        return set;
    }

    private static ulong Count(SequenceSet set)
    {
        var total = 0UL;
        var ranges = set.Ranges;
        for (var i = 0; i < ranges.Count; i++)
        {
            var (a, b) = ranges[i];
            total += (a > b ? a - b : b - a) + 1UL;
        }
        return total;
    }
}
