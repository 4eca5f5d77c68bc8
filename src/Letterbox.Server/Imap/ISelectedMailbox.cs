using Letterbox.Imap.Responses;

namespace Letterbox.Server.Imap;

/// <summary>
/// The session's view of its selected mailbox (RFC 9051 §3.3): the sequence-number map and whatever it has not yet
/// told the client. Implemented by the SELECT/EXAMINE handler; the session holds at most one
/// (<see cref="ImapSession.SelectAsync"/>) and disposes it when it is replaced, unselected or the connection ends.
/// </summary>
public interface ISelectedMailbox : IAsyncDisposable
{
    /// <summary>The store's id of the mailbox.</summary>
    long MailboxId { get; }

    /// <summary>The mailbox name as stored (Unicode, '/'-delimited).</summary>
    string Name { get; }

    /// <summary>True for EXAMINE (RFC 9051 §6.3.3): no flag changes, no expunge.</summary>
    bool ReadOnly { get; }

    /// <summary>
    /// Writes pending untagged responses (EXISTS, EXPUNGE/VANISHED, FETCH FLAGS) for changes made by this or other
    /// sessions, and updates the sequence map. Called by the session after every command, just before its tagged
    /// reply (never while another command's responses are being written).
    /// </summary>
    /// <param name="allowExpunge">False while answering FETCH, STORE or SEARCH by sequence number: expunges must
    /// then stay pending, because sequence numbers may not shift under the client (RFC 9051 §7.5.1, §5.5).</param>
    /// <param name="writer">The connection's response writer.</param>
    /// <param name="cancellationToken">Cancels the store access.</param>
    ValueTask SyncAsync(bool allowExpunge, ImapResponseWriter writer, CancellationToken cancellationToken);
}
