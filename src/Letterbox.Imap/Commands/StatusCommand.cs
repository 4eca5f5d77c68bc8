using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary>The STATUS data items (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ), in the order the client asked.</summary>
public enum StatusItem
{
    /// <summary>MESSAGES.</summary>
    Messages,
    /// <summary>UIDNEXT.</summary>
    UidNext,
    /// <summary>UIDVALIDITY.</summary>
    UidValidity,
    /// <summary>UNSEEN.</summary>
    Unseen,
    /// <summary>DELETED (IMAP4rev2).</summary>
    Deleted,
    /// <summary>SIZE (IMAP4rev2).</summary>
    Size,
    /// <summary>RECENT (IMAP4rev1).</summary>
    Recent,
    /// <summary>HIGHESTMODSEQ (RFC 7162).</summary>
    HighestModSeq,
}

/// <summary><c>STATUS mailbox (items)</c> (RFC 9051 §6.3.11).</summary>
public sealed record StatusCommand(string Mailbox, IReadOnlyList<StatusItem> Items) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "STATUS";

    /// <summary><c>SP mailbox SP "(" status-att *(SP status-att) ")"</c>.</summary>
    internal static StatusCommand Parse(ref ImapParser p)
    {
        p.Sp("a mailbox name");
        var mailbox = p.Mailbox();
        p.Sp("'(' starting the status items");
        return new StatusCommand(mailbox, StatusAttList(ref p));
    }

    /// <summary><c>"(" status-att *(SP status-att) ")"</c>; also used by LIST RETURN (STATUS ...).</summary>
    internal static List<StatusItem> StatusAttList(ref ImapParser p)
    {
        p.Expect((byte)'(', "'(' starting the status items");
        var items = new List<StatusItem>();
        while (true)
        {
            var name = p.UpperAtom("status item");
            var item = name switch
            {
                "MESSAGES" => StatusItem.Messages,
                "UIDNEXT" => StatusItem.UidNext,
                "UIDVALIDITY" => StatusItem.UidValidity,
                "UNSEEN" => StatusItem.Unseen,
                "DELETED" => StatusItem.Deleted,
                "SIZE" => StatusItem.Size,
                "RECENT" => StatusItem.Recent,
                "HIGHESTMODSEQ" => StatusItem.HighestModSeq,
                _ => throw ImapParser.Bad($"Unknown status item {name}"),
            };
            if (!items.Contains(item))
            {
                items.Add(item);
            }
            if (p.TryConsume((byte)')'))
            {
                return items;
            }
            if (p.AtEnd)
            {
                throw ImapParser.Bad("Missing ')' closing the status items");
            }
            p.Sp("a status item");
        }
    }
}
