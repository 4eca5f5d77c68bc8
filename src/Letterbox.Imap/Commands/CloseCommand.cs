namespace Letterbox.Imap.Commands;

/// <summary><c>CLOSE</c> (RFC 9051 §6.4.1).</summary>
public sealed record CloseCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "CLOSE";
}
