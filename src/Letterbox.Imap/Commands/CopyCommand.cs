namespace Letterbox.Imap.Commands;

/// <summary><c>[UID] COPY set mailbox</c> (RFC 9051 §6.4.7).</summary>
public sealed record CopyCommand(Letterbox.Mail.Messages.SequenceSet Set, bool Uid, string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "COPY";
}
