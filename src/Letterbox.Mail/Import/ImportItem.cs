using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Import;

/// <summary>
/// One message found by <see cref="MessageSource.ReadAsync"/>, or one that must be skipped.
/// </summary>
/// <param name="MailboxName">The sub-mailbox it belongs to, relative to the import target, with '/' as delimiter
/// (e.g. "Sub/Folder" for the Maildir++ folder ".Sub.Folder"); null = the target mailbox itself.</param>
/// <param name="Open">Opens a new read-only, seekable stream over the message's bytes, positioned at 0 (line ends as
/// in the file: the store normalises bare LF to CRLF when staging). Null when <paramref name="SkipReason"/> is set.</param>
/// <param name="Flags">System flags (from a Maildir file name's ":2," suffix; None otherwise).</param>
/// <param name="InternalDate">INTERNALDATE to give the message (file modification time for Maildir and .eml;
/// null = now, for mbox).</param>
/// <param name="Source">Where it came from, for reports: a file path, or "path:offset" of a message in an mbox.</param>
/// <param name="SkipReason">Why the item cannot be imported (empty, not a message, unreadable, bad folder name);
/// null for a good item.</param>
public sealed record ImportItem(
    string? MailboxName,
    Func<Stream>? Open,
    MessageFlags Flags,
    DateTimeOffset? InternalDate,
    string Source,
    string? SkipReason)
{
    /// <summary>True when the item must be skipped (see <see cref="SkipReason"/>).</summary>
    public bool IsSkipped => SkipReason is not null;

    internal static ImportItem Skip(string? mailboxName, string source, string reason)
        => new(mailboxName, null, MessageFlags.None, null, source, reason);
}
