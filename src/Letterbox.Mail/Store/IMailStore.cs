using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Users;

namespace Letterbox.Mail.Store;

/// <summary>
/// The store contract every backend (SQLite, PostgreSQL) implements. It speaks user ids, mailbox ids, UIDs and
/// MODSEQs — never sequence numbers or IMAP syntax. Every mutating call is atomic and durable when its task
/// completes: a crash never leaves a message half-visible. Every change (append, flag change, expunge) takes a
/// new MODSEQ from the mailbox's counter and is recorded so <see cref="GetChangesAsync"/> can replay it.
/// </summary>
/// <remarks>
/// Mailbox names are Unicode with '/' as the hierarchy delimiter; "INBOX" is exact upper case (callers
/// canonicalise any case of "inbox"). Throws <see cref="MailStoreException"/> for refusals; any other exception
/// is a bug or an I/O failure.
/// </remarks>
public interface IMailStore : IAsyncDisposable
{
    // ---- users ---------------------------------------------------------------------------------------------

    /// <summary>Finds a user by name (case-insensitive); null if none.</summary>
    Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists all users, ordered by name.</summary>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a user with INBOX and the default special-use mailboxes (Drafts, Sent, Trash, Junk,
    /// Archive), all subscribed. Throws <see cref="MailStoreException"/> (UserExists).</summary>
    Task<UserRecord> AddUserAsync(string name, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's password hash and clears the SCRAM secret (it belonged to the old password; set
    /// the new one with <see cref="SetScramSecretAsync"/>). Throws (NoSuchUser).</summary>
    Task SetPasswordHashAsync(long userId, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Sets a user's SCRAM-SHA-256 secret (RFC 5802 §3, RFC 7677), the stored form of
    /// <see cref="ScramSecret"/>; null removes it (SCRAM logins then fail). Throws (NoSuchUser).</summary>
    Task SetScramSecretAsync(long userId, string? scramSecret, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user with all mailboxes and messages. Throws (NoSuchUser).</summary>
    Task DeleteUserAsync(long userId, CancellationToken cancellationToken = default);

    // ---- mailboxes -----------------------------------------------------------------------------------------

    /// <summary>All mailboxes of a user, ordered by name (ordinal).</summary>
    Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>The mailbox with this exact name, or null.</summary>
    Task<MailboxInfo?> GetMailboxAsync(long userId, string name, CancellationToken cancellationToken = default);

    /// <summary>The mailbox with this id, or null (deleted).</summary>
    Task<MailboxInfo?> GetMailboxByIdAsync(long mailboxId, CancellationToken cancellationToken = default);

    /// <summary>Creates a mailbox with a fresh UIDVALIDITY. Throws (AlreadyExists, InvalidName).</summary>
    Task<MailboxInfo> CreateMailboxAsync(long userId, string name, SpecialUse specialUse = SpecialUse.None, CancellationToken cancellationToken = default);

    /// <summary>Deletes a mailbox and its messages (not its children). Throws (NonExistent, Cannot for INBOX).</summary>
    Task DeleteMailboxAsync(long userId, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renames a mailbox and all its children (RFC 9051 §6.3.6), keeping UIDVALIDITY. Renaming INBOX moves all
    /// its messages into a new mailbox named <paramref name="newName"/> and leaves INBOX empty.
    /// Throws (NonExistent, AlreadyExists, InvalidName).
    /// </summary>
    Task RenameMailboxAsync(long userId, string oldName, string newName, CancellationToken cancellationToken = default);

    /// <summary>Subscribed names of a user (may name mailboxes that do not exist), ordered.</summary>
    Task<IReadOnlyList<string>> GetSubscriptionsAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Adds or removes a subscription; idempotent.</summary>
    Task SetSubscribedAsync(long userId, string name, bool subscribed, CancellationToken cancellationToken = default);

    /// <summary>Message counts, UIDNEXT, UIDVALIDITY, HIGHESTMODSEQ and size in one snapshot. Throws (NonExistent).</summary>
    Task<MailboxStatus> GetStatusAsync(long mailboxId, CancellationToken cancellationToken = default);

    // ---- messages ------------------------------------------------------------------------------------------

    /// <summary>All UIDs in the mailbox, ascending, with the HIGHESTMODSEQ they were read at. Used by SELECT.</summary>
    Task<(uint[] Uids, ulong HighestModSeq)> GetUidsAsync(long mailboxId, CancellationToken cancellationToken = default);

    /// <summary>Flags of the messages whose UIDs are in <paramref name="uids"/> (ascending, existing only),
    /// returned in UID order; expunged UIDs are skipped. <paramref name="changedSince"/> keeps only messages
    /// with MODSEQ greater than it (RFC 7162 CHANGEDSINCE).</summary>
    Task<IReadOnlyList<MessageFlagState>> GetFlagsAsync(long mailboxId, IReadOnlyList<uint> uids, ulong changedSince = 0, CancellationToken cancellationToken = default);

    /// <summary>Metadata (with the cached structure) of the given UIDs, in UID order, skipping expunged ones.</summary>
    Task<IReadOnlyList<MessageMetadata>> GetMetadataAsync(long mailboxId, IReadOnlyList<uint> uids, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored bytes of a message for reading (seekable; CRLF line ends). Null if expunged.</summary>
    Task<Stream?> OpenMessageAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default);

    /// <summary>Starts staging a message's bytes (streamed to disk, never whole in memory).
    /// <paramref name="maxLength"/> bounds it: writing more throws (Limit).</summary>
    Task<IMessageStager> StageAsync(long maxLength, CancellationToken cancellationToken = default);

    /// <summary>Appends staged messages atomically, assigning ascending UIDs; parses each once (MimeKit) and caches
    /// its structure. Throws (NonExistent, OverQuota).</summary>
    Task<AppendResult> AppendAsync(long mailboxId, IReadOnlyList<AppendRequest> messages, CancellationToken cancellationToken = default);

    /// <summary>Changes flags of the given UIDs atomically, each changed message taking a new MODSEQ. Messages whose
    /// flags would not change are left alone (and not returned). <paramref name="unchangedSince"/> (RFC 7162) skips
    /// and reports messages modified after it.</summary>
    Task<StoreFlagsResult> StoreFlagsAsync(long mailboxId, IReadOnlyList<uint> uids, FlagOperation operation, MessageFlags flags, IReadOnlyList<string> keywords, ulong? unchangedSince = null, CancellationToken cancellationToken = default);

    /// <summary>Copies messages (sharing the stored bytes, no byte copy) atomically. Throws (NonExistent, OverQuota).</summary>
    Task<CopyResult> CopyAsync(long sourceMailboxId, IReadOnlyList<uint> uids, long destinationMailboxId, CancellationToken cancellationToken = default);

    /// <summary>Moves messages atomically: copy and expunge from the source in one transaction (RFC 6851).</summary>
    Task<CopyResult> MoveAsync(long sourceMailboxId, IReadOnlyList<uint> uids, long destinationMailboxId, CancellationToken cancellationToken = default);

    /// <summary>Expunges messages with \Deleted set; with <paramref name="uids"/> only those among them (UID EXPUNGE).
    /// Returns the expunged UIDs ascending.</summary>
    Task<IReadOnlyList<uint>> ExpungeAsync(long mailboxId, IReadOnlyList<uint>? uids = null, CancellationToken cancellationToken = default);

    /// <summary>Evaluates a search (sequence-number keys already rewritten to UID sets by the caller) and returns
    /// matching UIDs ascending. RFC 9051 §6.4.4.</summary>
    Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The SORT/THREAD keys (RFC 5256) of the messages whose UIDs are in <paramref name="uids"/> (any order;
    /// expunged ones skipped), in one snapshot, returned in UID order. <paramref name="fields"/> names the string
    /// keys wanted (others may be empty); UID, INTERNALDATE, size and sent date (falling back to INTERNALDATE,
    /// §2.2) are always filled. Keys are those cached at delivery; a message stored before keys were cached gets
    /// them computed from its cached envelope and header (and cached) — never missing or wrong.
    /// </summary>
    Task<IReadOnlyList<SortableMessage>> GetSortKeysAsync(long mailboxId, IReadOnlyList<uint> uids, SortFields fields, CancellationToken cancellationToken = default);

    /// <summary>Changes in the mailbox after <paramref name="sinceModSeq"/> (appends, flag changes, expunges).</summary>
    Task<MailboxChanges> GetChangesAsync(long mailboxId, ulong sinceModSeq, CancellationToken cancellationToken = default);

    // ---- change feed ---------------------------------------------------------------------------------------

    /// <summary>Notifications of committed changes (IDLE push, NOTIFY), including changes made by other processes
    /// on the same data, which a backend may notice with a delay (see its documentation).</summary>
    IChangeFeed ChangeFeed { get; }
}
