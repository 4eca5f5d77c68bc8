namespace Letterbox.Imap.Commands;

/// <summary><c>RENAME existing new</c> (RFC 9051 §6.3.6).</summary>
public sealed record RenameCommand(string From, string To) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "RENAME";
}
