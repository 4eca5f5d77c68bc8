namespace Letterbox.Imap.Commands;

/// <summary><c>NOOP</c> (RFC 9051 §6.1.2).</summary>
public sealed record NoopCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "NOOP";
}
