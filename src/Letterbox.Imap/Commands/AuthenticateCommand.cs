namespace Letterbox.Imap.Commands;

/// <summary><c>AUTHENTICATE mechanism [initial-response]</c> (RFC 9051 §6.2.2, SASL-IR RFC 4959). InitialResponse is the base64 text as sent ("=" for an empty response), or null when absent.</summary>
public sealed record AuthenticateCommand(string Mechanism, string? InitialResponse) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "AUTHENTICATE";
}
