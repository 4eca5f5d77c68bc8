using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Server.Imap.Selected;

public sealed partial class SelectedMailboxView
{
    /// <summary>
    /// The QRESYNC part of <c>SELECT/EXAMINE mailbox (QRESYNC (uidvalidity modseq [known-uids] [seq-match-data]))</c>
    /// (RFC 7162 §3.2.5.1), after the usual SELECT responses: <c>* VANISHED (EARLIER) uid-set</c> for the messages
    /// expunged after <paramref name="modSeq"/>, then <c>* n FETCH (FLAGS (…) UID u MODSEQ (m))</c> for every message
    /// of the view whose MODSEQ is above it — the same as <c>UID FETCH known-uids (FLAGS) (CHANGEDSINCE modseq
    /// VANISHED)</c>. Both are limited to <paramref name="knownUids"/> when given (otherwise every UID below UIDNEXT).
    /// The caller has checked UIDVALIDITY and turned <see cref="Condstore"/> on.
    /// </summary>
    /// <remarks>
    /// The sequence match data (§3.2.5.2) is not needed: the store keeps every expunged UID with its MODSEQ until the
    /// mailbox is deleted, so the VANISHED (EARLIER) list is exact for any <paramref name="modSeq"/>. Changes made
    /// after the view was read (UIDs not yet in it) are left to the sync that ends the command, which reports them as
    /// EXISTS, VANISHED and FETCH.
    /// </remarks>
    /// <param name="modSeq">The client's last known mod-sequence.</param>
    /// <param name="knownUids">The client's known UIDs (no <c>*</c>), or null for all.</param>
    /// <param name="writer">The connection's writer.</param>
    /// <param name="cancellationToken">Cancels the store reads.</param>
    public async ValueTask WriteQResyncAsync(ulong modSeq, SequenceSet? knownUids, ImapResponseWriter writer, CancellationToken cancellationToken)
    {
        var changes = await Store.GetChangesAsync(MailboxId, modSeq, cancellationToken);
        var known = new KnownUidCursor(knownUids);
        var vanished = new List<uint>();
        for (var i = 0; i < changes.Expunged.Count; i++)
        {
            var uid = changes.Expunged[i];
            if (known.Contains(uid) && GetSequenceNumber(uid) == 0)
            {
                vanished.Add(uid);
            }
        }
        writer.WriteVanished(vanished, earlier: true);

        // Messages of the view appended after modSeq: their flags are not in FlagChanges.
        known = new KnownUidCursor(knownUids);
        var appended = new List<uint>();
        for (var i = 0; i < changes.Appended.Count; i++)
        {
            var uid = changes.Appended[i];
            if (known.Contains(uid) && GetSequenceNumber(uid) != 0)
            {
                appended.Add(uid);
            }
        }
        var appendedStates = appended.Count == 0
            ? []
            : await Store.GetFlagsAsync(MailboxId, appended, 0, cancellationToken);
        var flagChanges = changes.FlagChanges;
        known = new KnownUidCursor(knownUids);
        int f = 0, a = 0;
        while (f < flagChanges.Count || a < appendedStates.Count)
        {
            MessageFlagState state;
            if (a == appendedStates.Count || (f < flagChanges.Count && flagChanges[f].Uid < appendedStates[a].Uid))
            {
                state = flagChanges[f++];
                if (!known.Contains(state.Uid))
                {
                    continue;
                }
            }
            else
            {
                state = appendedStates[a++];
            }
            var seq = GetSequenceNumber(state.Uid);
            if (seq == 0)
            {
                continue;
            }
            WriteFlagsFetch(writer, seq, state, includeUid: true);
            NoteFlagsSent(state.Uid, state.ModSeq);
        }
    }

    /// <summary>
    /// <c>* VANISHED (EARLIER) uid-set</c> for <c>UID FETCH set … (CHANGEDSINCE modseq VANISHED)</c> (RFC 7162 §3.2.6):
    /// the UIDs of <paramref name="uidSet"/> expunged with a MODSEQ above <paramref name="modSeq"/>. <c>*</c> in the
    /// set has no upper bound here, so an expunged message that had the highest UID is reported even for
    /// <c>1:*</c> (CLIENT-QUIRKS 5). Written before any FETCH response of the command.
    /// </summary>
    public async ValueTask WriteVanishedEarlierAsync(SequenceSet uidSet, ulong modSeq, ImapResponseWriter writer, CancellationToken cancellationToken)
    {
        var changes = await Store.GetChangesAsync(MailboxId, modSeq, cancellationToken);
        var saved = uidSet.IsSavedResult ? SavedSearch : null;
        var inSet = new KnownUidCursor(saved is null ? uidSet : null);
        var vanished = new List<uint>();
        var expunged = changes.Expunged;
        for (var i = 0; i < expunged.Count; i++)
        {
            var uid = expunged[i];
            if ((saved is null ? inSet.Contains(uid) : Contains(saved, uid)) && GetSequenceNumber(uid) == 0)
            {
                vanished.Add(uid);
            }
        }
        writer.WriteVanished(vanished, earlier: true);
    }

    /// <summary>Writes one <c>* VANISHED uid-set</c> (RFC 7162 §3.2.10.2) for the <paramref name="count"/> UIDs of
    /// <paramref name="uids"/> (ascending) that are in the view; call before they are removed from it.</summary>
    private void WriteVanished(IReadOnlyList<uint> uids, int count, ImapResponseWriter writer)
    {
        var inView = new List<uint>(count);
        for (var i = 0; i < uids.Count; i++)
        {
            if (GetSequenceNumber(uids[i]) != 0)
            {
                inView.Add(uids[i]);
            }
        }
        writer.WriteVanished(inView, earlier: false);
    }

    /// <summary>Membership test for ascending UIDs against a client's UID set, in one pass over its normalised
    /// ranges (<c>*</c> unbounded); a null set contains everything.</summary>
    private struct KnownUidCursor
    {
        private readonly List<(uint Low, uint High)>? _ranges;
        private int _index;

        public KnownUidCursor(SequenceSet? set)
        {
            _ranges = set?.Normalize(uint.MaxValue);
            _index = 0;
        }

        /// <summary>True when <paramref name="uid"/> is in the set; calls must pass UIDs ascending.</summary>
        public bool Contains(uint uid)
        {
            if (_ranges is null)
            {
                return true;
            }
            while (_index < _ranges.Count && _ranges[_index].High < uid)
            {
                _index++;
            }
            return _index < _ranges.Count && _ranges[_index].Low <= uid;
        }
    }
}
