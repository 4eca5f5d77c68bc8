namespace Letterbox.Imap.Commands;

/// <summary><c>CHECK</c> (RFC 3501 §6.4.1).</summary>
public sealed record CheckCommand() : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "CHECK";
}
