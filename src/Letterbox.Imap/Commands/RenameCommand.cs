using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>RENAME existing new</c> (RFC 9051 §6.3.6).</summary>
public sealed record RenameCommand(string From, string To) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "RENAME";

    /// <summary><c>SP mailbox SP mailbox</c>.</summary>
    internal static RenameCommand Parse(ref ImapParser p)
    {
        p.Sp("the existing mailbox name");
        var from = p.Mailbox("existing mailbox name");
        p.Sp("the new mailbox name");
        var to = p.Mailbox("new mailbox name");
        return new RenameCommand(from, to);
    }
}
