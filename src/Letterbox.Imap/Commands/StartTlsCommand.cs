namespace Letterbox.Imap.Commands;

/// <summary><c>STARTTLS</c> (RFC 9051 §6.2.1).</summary>
public sealed record StartTlsCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "STARTTLS";
}
