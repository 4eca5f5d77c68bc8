namespace Letterbox.Imap.Commands;

/// <summary><c>SUBSCRIBE mailbox</c> (RFC 9051 §6.3.7).</summary>
public sealed record SubscribeCommand(string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SUBSCRIBE";
}
