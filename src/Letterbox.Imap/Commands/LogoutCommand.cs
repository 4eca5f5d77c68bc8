namespace Letterbox.Imap.Commands;

/// <summary><c>LOGOUT</c> (RFC 9051 §6.1.3).</summary>
public sealed record LogoutCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LOGOUT";
}
