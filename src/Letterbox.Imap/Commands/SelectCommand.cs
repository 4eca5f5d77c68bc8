using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>SELECT mailbox</c> (ReadOnly false) or <c>EXAMINE mailbox</c> (ReadOnly true), RFC 9051 §6.3.2–3. Mailbox is decoded from modified UTF-7 to Unicode. Condstore is set by the <c>(CONDSTORE)</c> select parameter (RFC 7162).</summary>
public sealed record SelectCommand(string Mailbox, bool ReadOnly, bool Condstore = false) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SELECT";

    /// <summary><c>SP mailbox [SP "(" select-param *(SP select-param) ")"]</c>; only CONDSTORE is known (RFC 7162 §3.1.8).</summary>
    internal static SelectCommand Parse(ref ImapParser p, bool readOnly)
    {
        p.Sp("a mailbox name");
        var mailbox = p.Mailbox();
        var condstore = false;
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
                if (name != "CONDSTORE")
                {
                    throw ImapParser.Bad($"Unknown select parameter {name}");
                }
                condstore = true;
            }
        }
        return new SelectCommand(mailbox, readOnly, condstore);
    }
}
