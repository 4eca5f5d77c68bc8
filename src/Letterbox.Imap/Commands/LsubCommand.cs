using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>LSUB reference pattern</c> (RFC 3501 §6.3.9). Reference and pattern decoded to Unicode.</summary>
public sealed record LsubCommand(string Reference, string Pattern) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LSUB";

    /// <summary><c>SP mailbox SP list-mailbox</c>.</summary>
    internal static LsubCommand Parse(ref ImapParser p)
    {
        p.Sp("a reference name");
        var reference = p.Mailbox("reference name");
        p.Sp("a mailbox pattern");
        var pattern = p.ListMailbox();
        return new LsubCommand(reference, pattern);
    }
}
