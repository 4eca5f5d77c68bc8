namespace Letterbox.Imap.Commands;

/// <summary><c>UNSELECT</c> (RFC 3691 / RFC 9051 §6.4.2).</summary>
public sealed record UnselectCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "UNSELECT";
}
