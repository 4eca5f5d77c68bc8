namespace Letterbox.Imap.Commands;

/// <summary><c>ENABLE capability...</c> (RFC 5161 / RFC 9051 §6.3.1). Names upper-cased.</summary>
public sealed record EnableCommand(IReadOnlyList<string> Capabilities) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "ENABLE";
}
