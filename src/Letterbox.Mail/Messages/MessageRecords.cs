namespace Letterbox.Mail.Messages;

/// <summary>The flags of one message with the MODSEQ of their last change.</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="Flags">System flags.</param>
/// <param name="Keywords">Keywords (user flags), sorted ordinally; empty when none.</param>
/// <param name="ModSeq">MODSEQ of the message's last change (RFC 7162 §3.1.1).</param>
public readonly record struct MessageFlagState(uint Uid, MessageFlags Flags, IReadOnlyList<string> Keywords, ulong ModSeq);

/// <summary>
/// What FETCH needs of one message besides its bytes: UID, flags, INTERNALDATE, RFC822.SIZE and the structure
/// cached at delivery.
/// </summary>
public sealed record MessageMetadata(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    ulong ModSeq,
    DateTimeOffset InternalDate,
    long Size,
    MessageStructure Structure);

/// <summary>A message to append: staged bytes plus the flags and INTERNALDATE to give it.</summary>
/// <param name="Message">Bytes already staged with <see cref="Store.IMailStore.StageAsync"/>.</param>
/// <param name="Flags">System flags to set.</param>
/// <param name="Keywords">Keywords to set.</param>
/// <param name="InternalDate">INTERNALDATE; null means now.</param>
public sealed record AppendRequest(
    Store.IStagedMessage Message,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset? InternalDate);

/// <summary>UIDs assigned by APPEND, for APPENDUID (RFC 4315 §3).</summary>
public sealed record AppendResult(uint UidValidity, IReadOnlyList<uint> Uids);

/// <summary>Source and destination UIDs of COPY/MOVE, pairwise, for COPYUID (RFC 4315 §3).</summary>
public sealed record CopyResult(uint DestinationUidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

/// <summary>How STORE changes flags (RFC 9051 §6.4.6).</summary>
public enum FlagOperation
{
    /// <summary><c>FLAGS</c>: replace.</summary>
    Replace,
    /// <summary><c>+FLAGS</c>: add.</summary>
    Add,
    /// <summary><c>-FLAGS</c>: remove.</summary>
    Remove,
}

/// <summary>Result of a flag change: the new state of every message that changed, and the UIDs that failed an
/// UNCHANGEDSINCE test (RFC 7162 §3.1.3).</summary>
public sealed record StoreFlagsResult(IReadOnlyList<MessageFlagState> Changed, IReadOnlyList<uint> Modified);

/// <summary>
/// Everything that happened in a mailbox after a MODSEQ: the change feed a session uses to bring its view up
/// to date. <see cref="Appended"/> and <see cref="Expunged"/> are UIDs ascending; <see cref="FlagChanges"/> holds
/// the current state of messages whose flags changed (not those appended or expunged in the window).
/// </summary>
public sealed record MailboxChanges(
    ulong HighestModSeq,
    uint UidNext,
    IReadOnlyList<uint> Appended,
    IReadOnlyList<MessageFlagState> FlagChanges,
    IReadOnlyList<uint> Expunged);
