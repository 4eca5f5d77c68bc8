using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>ENABLE capability...</c> (RFC 5161 / RFC 9051 §6.3.1). Names upper-cased.</summary>
public sealed record EnableCommand(IReadOnlyList<string> Capabilities) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "ENABLE";

    /// <summary><c>1*(SP capability)</c>.</summary>
    internal static EnableCommand Parse(ref ImapParser p)
    {
        var names = new List<string>();
        p.Sp("a capability name");
        do
        {
            names.Add(p.UpperAtom("capability name"));
        }
        while (p.TrySp());
        return new EnableCommand(names);
    }
}
