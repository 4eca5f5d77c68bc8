using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>[UID] MOVE set mailbox</c> (RFC 6851 / RFC 9051 §6.4.8).</summary>
public sealed record MoveCommand(Letterbox.Mail.Messages.SequenceSet Set, bool Uid, string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "MOVE";

    /// <summary><c>SP sequence-set SP mailbox</c>.</summary>
    internal static MoveCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("a sequence set");
        var set = p.SequenceSet();
        p.Sp("a destination mailbox name");
        return new MoveCommand(set, uid, p.Mailbox("destination mailbox name"));
    }
}
