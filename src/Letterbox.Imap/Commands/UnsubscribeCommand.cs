namespace Letterbox.Imap.Commands;

/// <summary><c>UNSUBSCRIBE mailbox</c> (RFC 9051 §6.3.8).</summary>
public sealed record UnsubscribeCommand(string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "UNSUBSCRIBE";
}
