namespace Letterbox.Imap.Commands;

/// <summary><c>NAMESPACE</c> (RFC 2342 / RFC 9051 §6.3.10).</summary>
public sealed record NamespaceCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "NAMESPACE";
}
