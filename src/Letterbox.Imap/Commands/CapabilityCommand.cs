namespace Letterbox.Imap.Commands;

/// <summary><c>CAPABILITY</c> (RFC 9051 §6.1.1).</summary>
public sealed record CapabilityCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "CAPABILITY";
}
