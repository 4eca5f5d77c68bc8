namespace Letterbox.Imap.Commands;

/// <summary><c>[UID] MOVE set mailbox</c> (RFC 6851 / RFC 9051 §6.4.8).</summary>
public sealed record MoveCommand(Letterbox.Mail.Messages.SequenceSet Set, bool Uid, string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "MOVE";
}
