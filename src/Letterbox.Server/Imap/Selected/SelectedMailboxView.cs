using Letterbox.Imap.Responses;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap.Selected;

/// <summary>
/// The session's view of its selected mailbox (RFC 9051 §3.3, §2.3.1.2): the sequence-number map the client has
/// been told about, as a sorted compact <c>uint[]</c> of UIDs (index + 1 = sequence number), plus what it has not
/// yet been told (changes after <see cref="KnownModSeq"/>). Sequence numbers exist only here; everything sent to
/// the store is a UID.
/// </summary>
/// <remarks>
/// Not thread-safe: the session runs one command at a time. Messages expunged by another session while expunges
/// may not be sent (RFC 9051 §7.5.1) stay in the view, keeping their sequence numbers, until a sync that allows
/// expunge (<see cref="SyncAsync"/>). Memory is 4 bytes per message.
/// </remarks>
public sealed partial class SelectedMailboxView : ISelectedMailbox
{
    private uint[] _uids;
    private int _count;
    private ulong _knownModSeq;
    private ulong _reportedModSeq;
    private IReadOnlyList<uint> _savedSearch = [];

    /// <summary>Creates a view over <paramref name="uids"/> (ascending, distinct), read at
    /// <paramref name="highestModSeq"/>.</summary>
    /// <param name="store">The store the view reads changes from.</param>
    /// <param name="mailbox">The selected mailbox.</param>
    /// <param name="readOnly">True for EXAMINE.</param>
    /// <param name="uids">UIDs ascending; the array is owned by the view from now on.</param>
    /// <param name="highestModSeq">The mailbox's HIGHESTMODSEQ when <paramref name="uids"/> were read.</param>
    public SelectedMailboxView(IMailStore store, MailboxInfo mailbox, bool readOnly, uint[] uids, ulong highestModSeq)
    {
        Store = store;
        MailboxId = mailbox.Id;
        Name = mailbox.Name;
        UidValidity = mailbox.UidValidity;
        ReadOnly = readOnly;
        _uids = uids;
        _count = uids.Length;
        _knownModSeq = highestModSeq;
        _reportedModSeq = highestModSeq;
    }

    /// <summary>Reads the mailbox's UIDs (<see cref="IMailStore.GetUidsAsync"/>) and creates a view over them.</summary>
    /// <exception cref="MailStoreException">NonExistent when the mailbox was deleted meanwhile.</exception>
    public static async Task<SelectedMailboxView> OpenAsync(IMailStore store, MailboxInfo mailbox, bool readOnly, CancellationToken cancellationToken)
    {
        var (uids, highestModSeq) = await store.GetUidsAsync(mailbox.Id, cancellationToken);
        return new SelectedMailboxView(store, mailbox, readOnly, uids, highestModSeq);
    }

    /// <inheritdoc/>
    public long MailboxId { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool ReadOnly { get; }

    /// <summary>UIDVALIDITY of the mailbox at SELECT (RFC 9051 §2.3.1.1).</summary>
    public uint UidValidity { get; }

    /// <summary>The store the view reads from; handlers use it for the selected mailbox.</summary>
    public IMailStore Store { get; }

    /// <summary>
    /// True when responses carry MODSEQ (RFC 7162 §3.1: CONDSTORE enabled by ENABLE, <c>SELECT (CONDSTORE)</c> or a
    /// CONDSTORE-enabling command such as <c>FETCH (MODSEQ)</c>). Set by SELECT; FETCH/SEARCH may turn it on.
    /// </summary>
    public bool Condstore { get; set; }

    /// <summary>The MODSEQ up to which the client has been told about changes (HIGHESTMODSEQ at SELECT, then at
    /// each sync).</summary>
    public ulong KnownModSeq => _knownModSeq;

    /// <summary>
    /// True once QRESYNC is enabled (RFC 7162 §3.2.3): expunges are reported as <c>* VANISHED uid-set</c> instead of
    /// <c>* n EXPUNGE</c> (§3.2.10). Set by SELECT from the session's ENABLE state.
    /// </summary>
    public bool QResync { get; set; }

    /// <summary>
    /// The highest MODSEQ the server may tell the client it is up to date with (<c>[HIGHESTMODSEQ n]</c> after
    /// SELECT, EXPUNGE, MOVE or a first CONDSTORE-enabling command): <see cref="KnownModSeq"/> when no expunge is
    /// held back, otherwise the value from before the sync that found the held-back expunge, so a client that
    /// resynchronizes from it cannot miss that expunge (RFC 7162 §3.2).
    /// </summary>
    public ulong ReportedModSeq => _reportedModSeq;

    /// <summary>The number of messages the client currently knows: the last EXISTS it was told, minus the EXPUNGEs
    /// it was told since (RFC 9051 §7.4.1). Messages expunged elsewhere but not yet reported still count.</summary>
    public int Count => _count;

    /// <summary>The highest UID in the view, or 0 when it is empty (the value of <c>*</c> in a UID set).</summary>
    public uint HighestUid => _count == 0 ? 0 : _uids[_count - 1];

    /// <summary>
    /// The saved search result <c>$</c> (RFC 5182 §2): UIDs ascending. Empty until a SEARCH with SAVE; SEARCH SAVE
    /// or SORT with SAVE replaces it (also with an empty result); a BAD one leaves it (RFC 9051 §6.4.4.1).
    /// </summary>
    public IReadOnlyList<uint> SavedSearch
    {
        get => _savedSearch;
        set => _savedSearch = value ?? [];
    }

    /// <summary>The UIDs in sequence order (index 0 is sequence number 1), <see cref="Count"/> long. Valid until the
    /// next change to the view; do not keep it.</summary>
    public ReadOnlySpan<uint> Uids => _uids.AsSpan(0, _count);

    /// <summary>The UID of sequence number <paramref name="sequenceNumber"/> (1-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not between 1 and <see cref="Count"/>.</exception>
    public uint GetUid(int sequenceNumber)
    {
        if ((uint)(sequenceNumber - 1) >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceNumber), sequenceNumber, "Not a sequence number in the view.");
        }
        return _uids[sequenceNumber - 1];
    }

    /// <summary>The sequence number (1-based) of <paramref name="uid"/>, or 0 when the view does not hold it.
    /// O(log n).</summary>
    public int GetSequenceNumber(uint uid)
    {
        var index = Array.BinarySearch(_uids, 0, _count, uid);
        return index >= 0 ? index + 1 : 0;
    }

    /// <summary>
    /// Resolves a client's set into (sequence number, UID) pairs, appended to <paramref name="result"/> ascending by
    /// sequence number, distinct (RFC 9051 §9 <c>sequence-set</c>, §6.4.8 UID). Ranges may be reversed
    /// (<c>5:2</c>, <c>*:3</c>).
    /// </summary>
    /// <param name="set">The set as parsed; <c>$</c> (RFC 5182) resolves to <see cref="SavedSearch"/> for both
    /// kinds of command.</param>
    /// <param name="isUid">False: sequence numbers, <c>*</c> = <see cref="Count"/>. True: UIDs, <c>*</c> = the
    /// highest UID in the view, so <c>n:*</c> with n above it still yields the last message (CLIENT-QUIRKS 6).</param>
    /// <param name="result">Receives the pairs.</param>
    /// <returns>False when a sequence number is 0 or greater than <see cref="Count"/> (including <c>*</c> in an empty
    /// mailbox): the handler answers BAD (RFC 9051 §9 <c>seq-number</c>). A UID set never fails: UIDs not in the
    /// view are skipped.</returns>
    public bool TryResolve(SequenceSet set, bool isUid, List<(int Seq, uint Uid)> result)
    {
        if (set.IsSavedResult)
        {
            var saved = _savedSearch;
            for (var i = 0; i < saved.Count; i++)
            {
                var seq = GetSequenceNumber(saved[i]);
                if (seq != 0)
                {
                    result.Add((seq, saved[i]));
                }
            }
            return true;
        }
        if (!isUid)
        {
            var ranges = set.Normalize((uint)_count);
            for (var i = 0; i < ranges.Count; i++)
            {
                if (ranges[i].Low == 0 || ranges[i].High > (uint)_count)
                {
                    return false;
                }
            }
            var total = 0L;
            for (var i = 0; i < ranges.Count; i++)
            {
                total += ranges[i].High - ranges[i].Low + 1;
            }
            result.EnsureCapacity(result.Count + (int)total);
            for (var i = 0; i < ranges.Count; i++)
            {
                var (low, high) = ranges[i];
                for (var seq = low; seq <= high; seq++)
                {
                    result.Add(((int)seq, _uids[seq - 1]));
                }
            }
            return true;
        }
        var uidRanges = set.Normalize(HighestUid);
        for (var i = 0; i < uidRanges.Count; i++)
        {
            var (low, high) = uidRanges[i];
            var index = Array.BinarySearch(_uids, 0, _count, low);
            if (index < 0)
            {
                index = ~index;
            }
            if (i == 0 && uidRanges.Count == 1)
            {
                var end = Array.BinarySearch(_uids, index, _count - index, high);
                result.EnsureCapacity(result.Count + (end < 0 ? ~end : end + 1) - index);
            }
            while (index < _count && _uids[index] <= high)
            {
                result.Add((index + 1, _uids[index]));
                index++;
            }
        }
        return true;
    }

    /// <summary>Convenience for handlers: the UIDs of <paramref name="pairs"/>, in order.</summary>
    public static List<uint> UidsOf(List<(int Seq, uint Uid)> pairs)
    {
        var uids = new List<uint>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            uids.Add(pairs[i].Uid);
        }
        return uids;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
