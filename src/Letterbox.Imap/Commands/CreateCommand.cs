namespace Letterbox.Imap.Commands;

/// <summary><c>CREATE mailbox [(USE (\\Sent ...))]</c> (RFC 9051 §6.3.4, RFC 6154 §3). Mailbox decoded to Unicode.</summary>
public sealed record CreateCommand(string Mailbox, Letterbox.Mail.Mailboxes.SpecialUse SpecialUse = Letterbox.Mail.Mailboxes.SpecialUse.None) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "CREATE";
}
