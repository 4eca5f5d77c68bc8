using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>ID ("name" "value" ...)</c> or <c>ID NIL</c> (RFC 2971). Parameters null for NIL.</summary>
public sealed record IdCommand(IReadOnlyList<KeyValuePair<string, string?>>? Parameters) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "ID";

    /// <summary><c>SP id-params-list</c>: <c>"(" [string SP nstring *(SP string SP nstring)] ")"</c> or NIL.</summary>
    internal static IdCommand Parse(ref ImapParser p)
    {
        p.Sp("a parameter list or NIL");
        if (p.TryKeyword("NIL"u8))
        {
            return new IdCommand((IReadOnlyList<KeyValuePair<string, string?>>?)null);
        }
        p.Expect((byte)'(', "'(' or NIL");
        var list = new List<KeyValuePair<string, string?>>();
        while (!p.TryConsume((byte)')'))
        {
            if (list.Count > 0)
            {
                p.Sp("an ID field name");
            }
            var key = p.String("ID field name");
            p.Sp("an ID field value");
            var value = p.NString("ID field value");
            if (list.Count >= 30)
            {
                throw ImapParser.Bad("Too many ID parameters (at most 30)");
            }
            list.Add(new KeyValuePair<string, string?>(key, value));
        }
        return new IdCommand(list);
    }
}
