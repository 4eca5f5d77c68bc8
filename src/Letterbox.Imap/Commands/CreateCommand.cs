using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>CREATE mailbox [(USE (\\Sent ...))]</c> (RFC 9051 §6.3.4, RFC 6154 §3). Mailbox decoded to Unicode.</summary>
public sealed record CreateCommand(string Mailbox, Letterbox.Mail.Mailboxes.SpecialUse SpecialUse = Letterbox.Mail.Mailboxes.SpecialUse.None) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "CREATE";

    /// <summary><c>SP mailbox [SP "(" "USE" SP "(" use-attr *(SP use-attr) ")" ")"]</c> (RFC 6154 §3). An unknown
    /// use attribute is NO [USE-ATTR].</summary>
    internal static CreateCommand Parse(ref ImapParser p)
    {
        p.Sp("a mailbox name");
        var mailbox = p.Mailbox();
        var use = Letterbox.Mail.Mailboxes.SpecialUse.None;
        if (p.TrySp())
        {
            p.Expect((byte)'(', "'(' starting the CREATE parameters");
            if (!p.TryKeyword("USE"u8))
            {
                throw ImapParser.Bad("Unknown CREATE parameter: only USE is supported");
            }
            p.Sp("'(' starting the special-use attributes");
            p.Expect((byte)'(', "'(' starting the special-use attributes");
            while (!p.TryConsume((byte)')'))
            {
                p.TrySp();
                p.Expect((byte)'\\', "a special-use attribute such as \\Sent");
                var name = p.UpperAtom("special-use attribute");
                use |= name switch
                {
                    "ALL" => Letterbox.Mail.Mailboxes.SpecialUse.All,
                    "ARCHIVE" => Letterbox.Mail.Mailboxes.SpecialUse.Archive,
                    "DRAFTS" => Letterbox.Mail.Mailboxes.SpecialUse.Drafts,
                    "FLAGGED" => Letterbox.Mail.Mailboxes.SpecialUse.Flagged,
                    "JUNK" => Letterbox.Mail.Mailboxes.SpecialUse.Junk,
                    "SENT" => Letterbox.Mail.Mailboxes.SpecialUse.Sent,
                    "TRASH" => Letterbox.Mail.Mailboxes.SpecialUse.Trash,
                    _ => throw new ImapParseException($"Unsupported special-use attribute \\{name}", "USE-ATTR", isNo: true),
                };
            }
            p.Expect((byte)')', "')' closing the CREATE parameters");
        }
        return new CreateCommand(mailbox, use);
    }
}
