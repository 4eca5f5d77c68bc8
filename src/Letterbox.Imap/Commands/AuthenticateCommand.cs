using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>AUTHENTICATE mechanism [initial-response]</c> (RFC 9051 §6.2.2, SASL-IR RFC 4959). InitialResponse is the base64 text as sent ("=" for an empty response), or null when absent.</summary>
public sealed record AuthenticateCommand(string Mechanism, string? InitialResponse) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "AUTHENTICATE";

    /// <summary><c>SP auth-type [SP (base64 / "=")]</c>; the mechanism is upper-cased.</summary>
    internal static AuthenticateCommand Parse(ref ImapParser p)
    {
        p.Sp("a SASL mechanism name");
        var mechanism = p.UpperAtom("SASL mechanism name");
        string? initial = null;
        if (p.TrySp())
        {
            initial = p.Atom("initial response");
        }
        return new AuthenticateCommand(mechanism, initial);
    }
}
