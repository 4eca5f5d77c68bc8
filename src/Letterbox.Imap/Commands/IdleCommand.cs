namespace Letterbox.Imap.Commands;

/// <summary><c>IDLE</c> (RFC 2177 / RFC 9051 §6.3.13); the session reads DONE itself.</summary>
public sealed record IdleCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "IDLE";
}
