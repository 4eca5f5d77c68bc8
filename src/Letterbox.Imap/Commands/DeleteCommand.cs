namespace Letterbox.Imap.Commands;

/// <summary><c>DELETE mailbox</c> (RFC 9051 §6.3.5).</summary>
public sealed record DeleteCommand(string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "DELETE";
}
