using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap.Selected;

public sealed partial class SelectedMailboxView
{
    // UIDs expunged by others while expunges could not be sent; still in _uids. Ascending.
    private readonly List<uint> _pendingExpunges = [];

    // Messages whose current flags this command already sent (FETCH/STORE), with the MODSEQ sent. Only entries
    // above _knownModSeq matter; cleared at every sync.
    private readonly Dictionary<uint, ulong> _flagsSent = [];

    /// <summary>UIDs expunged elsewhere that are still in the view because no expunge could be sent yet.</summary>
    public IReadOnlyList<uint> PendingExpunges => _pendingExpunges;

    /// <summary>Records that the current command has sent the client the flags of <paramref name="uid"/> as of
    /// <paramref name="modSeq"/>, so the next sync does not repeat them in an unsolicited FETCH.</summary>
    public void NoteFlagsSent(uint uid, ulong modSeq)
    {
        if (modSeq > _knownModSeq)
        {
            _flagsSent[uid] = modSeq;
        }
    }

    /// <summary>
    /// Brings the client up to date (RFC 9051 §7.4.1, §7.5.1, §5.2): reads <c>GetChangesAsync(mailbox, known
    /// MODSEQ)</c> — a single indexed query that returns nothing when the mailbox is idle — then writes, in this
    /// order, <c>* n EXPUNGE</c> for messages expunged elsewhere (only when <paramref name="allowExpunge"/>, highest
    /// sequence number first so no number shifts under a later one; one <c>* VANISHED uid-set</c> instead once
    /// QRESYNC is enabled, RFC 7162 §3.2.10), <c>* n EXISTS</c> for new messages, and
    /// <c>* n FETCH (FLAGS (…) UID u [MODSEQ (m)])</c> for flag changes the client has not seen.
    /// </summary>
    /// <remarks>A mailbox deleted by another session (the store answers NonExistent) is left as it is: nothing is
    /// written, and the client's next command against the store gets <c>NO [NONEXISTENT]</c>.</remarks>
    public async ValueTask SyncAsync(bool allowExpunge, ImapResponseWriter writer, CancellationToken cancellationToken)
    {
        MailboxChanges changes;
        try
        {
            changes = await Store.GetChangesAsync(MailboxId, _knownModSeq, cancellationToken);
        }
        catch (MailStoreException e) when (e.Error == MailStoreError.NonExistent)
        {
            return;
        }
        if (changes.HighestModSeq > _knownModSeq)
        {
            _knownModSeq = changes.HighestModSeq;
        }
        var expunged = changes.Expunged;
        for (var i = 0; i < expunged.Count; i++)
        {
            if (GetSequenceNumber(expunged[i]) != 0 && !IsPending(expunged[i]))
            {
                InsertPending(expunged[i]);
            }
        }
        if (allowExpunge && _pendingExpunges.Count > 0)
        {
            RemoveAndReport(_pendingExpunges, writer);
            _pendingExpunges.Clear();
        }
        if (_pendingExpunges.Count == 0)
        {
            // Everything up to _knownModSeq has now been told (RFC 7162 §3.2: never claim a MODSEQ past an expunge
            // still held back).
            _reportedModSeq = _knownModSeq;
        }
        AppendNew(changes.Appended, expunged, writer);
        var flagChanges = changes.FlagChanges;
        for (var i = 0; i < flagChanges.Count; i++)
        {
            var state = flagChanges[i];
            var seq = GetSequenceNumber(state.Uid);
            if (seq == 0 || IsPending(state.Uid)
                || (_flagsSent.TryGetValue(state.Uid, out var sent) && sent >= state.ModSeq))
            {
                continue;
            }
            WriteFlagsFetch(writer, seq, state, includeUid: true);
        }
        _flagsSent.Clear();
    }

    /// <summary>
    /// Removes messages this session expunged itself (EXPUNGE, UID EXPUNGE, MOVE) and writes <c>* n EXPUNGE</c>
    /// for each, highest sequence number first (RFC 9051 §7.5.1) — or, with <see cref="QResync"/>, one
    /// <c>* VANISHED uid-set</c> (RFC 7162 §3.2.10). UIDs not in the view are ignored.
    /// </summary>
    /// <param name="uids">Expunged UIDs, ascending.</param>
    /// <param name="writer">Receives the EXPUNGE responses; null to remove silently (CLOSE).</param>
    public void RemoveExpunged(IReadOnlyList<uint> uids, ImapResponseWriter? writer)
    {
        RemoveAndReport(uids, writer);
        for (var i = 0; i < uids.Count; i++)
        {
            var index = _pendingExpunges.BinarySearch(uids[i]);
            if (index >= 0)
            {
                _pendingExpunges.RemoveAt(index);
            }
        }
    }

    /// <summary>
    /// Writes <c>* seq FETCH (FLAGS (…)[ UID u][ MODSEQ (m)])</c> (RFC 9051 §7.5.2), for STORE and unsolicited
    /// flag updates. With <see cref="Condstore"/> on, UID and MODSEQ are always written (RFC 7162 §3.1.4, §3.2.4).
    /// </summary>
    public void WriteFlagsFetch(ImapResponseWriter writer, int seq, in MessageFlagState state, bool includeUid)
    {
        writer.WriteFetchStart((uint)seq);
        writer.WriteRaw("FLAGS "u8);
        writer.WriteFlagList(state.Flags, state.Keywords);
        if (includeUid || Condstore)
        {
            writer.WriteRaw(" UID "u8);
            writer.WriteNumber(state.Uid);
        }
        if (Condstore)
        {
            writer.WriteRaw(" MODSEQ ("u8);
            writer.WriteNumber(state.ModSeq);
            writer.WriteByte((byte)')');
        }
        writer.WriteFetchEnd();
    }

    private bool IsPending(uint uid) => _pendingExpunges.Count > 0 && _pendingExpunges.BinarySearch(uid) >= 0;

    private void InsertPending(uint uid)
    {
        var index = _pendingExpunges.BinarySearch(uid);
        if (index < 0)
        {
            _pendingExpunges.Insert(~index, uid);
        }
    }

    /// <summary>Writes EXPUNGE for the view's messages among <paramref name="uids"/> (highest first), then compacts
    /// the array in one pass: O(n + k log n).</summary>
    private void RemoveAndReport(IReadOnlyList<uint> uids, ImapResponseWriter? writer)
    {
        var removed = 0;
        for (var i = uids.Count - 1; i >= 0; i--)
        {
            var seq = GetSequenceNumber(uids[i]);
            if (seq == 0)
            {
                continue;
            }
            removed++;
            if (!QResync)
            {
                writer?.WriteExpunge((uint)seq);
            }
        }
        if (removed == 0)
        {
            return;
        }
        if (QResync && writer is not null)
        {
            WriteVanished(uids, removed, writer);
        }
        var write = 0;
        var next = 0;
        for (var read = 0; read < _count; read++)
        {
            var uid = _uids[read];
            while (next < uids.Count && uids[next] < uid)
            {
                next++;
            }
            if (next < uids.Count && uids[next] == uid)
            {
                continue;
            }
            _uids[write++] = uid;
        }
        _count = write;
    }

    private void AppendNew(IReadOnlyList<uint> appended, IReadOnlyList<uint> expunged, ImapResponseWriter writer)
    {
        var before = _count;
        for (var i = 0; i < appended.Count; i++)
        {
            var uid = appended[i];
            if (uid <= HighestUid || Contains(expunged, uid))
            {
                continue;
            }
            if (_count == _uids.Length)
            {
                Array.Resize(ref _uids, Math.Max(16, _uids.Length * 2));
            }
            _uids[_count++] = uid;
        }
        if (_count != before)
        {
            writer.WriteExists((uint)_count);
        }
    }

    private static bool Contains(IReadOnlyList<uint> sorted, uint uid)
    {
        var low = 0;
        var high = sorted.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var value = sorted[mid];
            if (value == uid)
            {
                return true;
            }
            if (value < uid)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return false;
    }
}
