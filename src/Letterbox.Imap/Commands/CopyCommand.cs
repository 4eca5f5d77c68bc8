using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>[UID] COPY set mailbox</c> (RFC 9051 §6.4.7).</summary>
public sealed record CopyCommand(Letterbox.Mail.Messages.SequenceSet Set, bool Uid, string Mailbox) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "COPY";

    /// <summary><c>SP sequence-set SP mailbox</c>.</summary>
    internal static CopyCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("a sequence set");
        var set = p.SequenceSet();
        p.Sp("a destination mailbox name");
        return new CopyCommand(set, uid, p.Mailbox("destination mailbox name"));
    }
}
