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
}
