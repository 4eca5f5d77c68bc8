using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>EXPUNGE</c> (RFC 9051 §6.4.3), or <c>UID EXPUNGE set</c> (RFC 4315 §2.1) when UidSet is not null.</summary>
public sealed record ExpungeCommand(Letterbox.Mail.Messages.SequenceSet? UidSet) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "EXPUNGE";

    /// <summary><c>UID EXPUNGE SP sequence-set</c> (RFC 4315 §2.1).</summary>
    internal static ExpungeCommand Parse(ref ImapParser p)
    {
        p.Sp("a UID set");
        return new ExpungeCommand(p.SequenceSet());
    }
}
