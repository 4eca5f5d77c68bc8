using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Letterbox.Mail.Store;

namespace Letterbox.Mail.Sorting;

/// <summary>The messages a SORT or THREAD orders: indices into <see cref="Snapshot"/>, ascending (mailbox order).</summary>
/// <param name="Snapshot">The mailbox's sort columns.</param>
/// <param name="Indices">The selected messages' indices, ascending; a UID the store no longer has is left out.</param>
public readonly record struct SortSelection(SortSnapshot Snapshot, int[] Indices);

/// <summary>
/// Per mailbox, a <see cref="SortSnapshot"/> of all its messages, kept in memory between commands so SORT and
/// THREAD on a large mailbox read no rows and hash no strings: a message's keys never change for a given
/// (mailbox id, UIDVALIDITY, UID) — UIDVALIDITY values are never reused — so entries are never stale; new
/// messages (higher UIDs) are read from the store and appended. Expunged messages stay until the snapshot holds more
/// than twice the mailbox's messages (+1,024), then it is read again.
/// </summary>
/// <remarks>
/// One cache per store (<see cref="Of"/>). Memory: ~100 bytes per message plus the distinct strings (already held by
/// the store's key cache); at most <see cref="MessageLimit"/> messages over all mailboxes, least recently used
/// mailboxes dropped first. Loads and appends of one mailbox are serialised; readers never wait for them.
/// </remarks>
public sealed class MailboxSortCache
{
    private static readonly ConditionalWeakTable<IMailStore, MailboxSortCache> Caches = new();

    private readonly IMailStore _store;
    private readonly ConcurrentDictionary<(long MailboxId, uint UidValidity), Entry> _entries = new();

    /// <summary>A cache over <paramref name="store"/> holding at most <paramref name="messageLimit"/> messages.</summary>
    public MailboxSortCache(IMailStore store, int messageLimit = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messageLimit);
        _store = store;
        MessageLimit = messageLimit;
    }

    /// <summary>Most messages held over all mailboxes (~100 bytes each).</summary>
    public int MessageLimit { get; }

    /// <summary>The cache of <paramref name="store"/> (one per store instance, created on first use with
    /// <paramref name="messageLimit"/>; later calls get that cache whatever limit they pass).</summary>
    public static MailboxSortCache Of(IMailStore store, int messageLimit = 2_000_000)
        => Caches.GetValue(store, s => new MailboxSortCache(s, messageLimit));

    /// <summary>
    /// Returns the snapshot of mailbox <paramref name="mailboxId"/> and the indices of <paramref name="uids"/>
    /// (ascending, distinct) in it, reading from the store only messages not seen before (all of them the first
    /// time). <paramref name="mailboxSize"/> is the caller's message count, used to decide when expunged messages
    /// are dropped.
    /// </summary>
    public async Task<SortSelection> SelectAsync(long mailboxId, uint uidValidity, IReadOnlyList<uint> uids, int mailboxSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var entry = _entries.GetOrAdd((mailboxId, uidValidity), _ => new Entry());
        entry.LastUsed = Environment.TickCount64;
        var snapshot = entry.Snapshot;
        if (snapshot is null || snapshot.Count > 2 * mailboxSize + 1024)
        {
            snapshot = await LoadAsync(entry, mailboxId, snapshot, mailboxSize, cancellationToken);
        }
        var (indices, missing) = Match(snapshot, uids);
        if (missing is null)
        {
            return new SortSelection(snapshot, indices);
        }
        var rows = await _store.GetSortKeysAsync(mailboxId, missing, SortFields.All, cancellationToken);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            snapshot = entry.Snapshot!;
            var newer = new List<SortableMessage>(rows.Count);
            var last = snapshot.Count == 0 ? 0 : snapshot.Uids[snapshot.Count - 1];
            var below = false;
            foreach (var row in rows)
            {
                if (row.Uid > last)
                {
                    newer.Add(row);
                }
                else
                {
                    below |= !Contains(snapshot, row.Uid);
                }
            }
            snapshot = below ? await ReadAllAsync(mailboxId, cancellationToken) : snapshot.Append(newer);
            entry.Snapshot = snapshot;
        }
        finally
        {
            entry.Lock.Release();
        }
        Evict(entry);
        (indices, _) = Match(snapshot, uids);
        return new SortSelection(snapshot, indices);
    }

    /// <summary>Reads the whole mailbox into the entry unless another caller did meanwhile.</summary>
    private async Task<SortSnapshot> LoadAsync(Entry entry, long mailboxId, SortSnapshot? seen, int mailboxSize, CancellationToken cancellationToken)
    {
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (entry.Snapshot is { } current && current != seen && current.Count <= 2 * mailboxSize + 1024)
            {
                return current;
            }
            entry.Snapshot = await ReadAllAsync(mailboxId, cancellationToken);
        }
        finally
        {
            entry.Lock.Release();
        }
        Evict(entry);
        return entry.Snapshot!;
    }

    private async Task<SortSnapshot> ReadAllAsync(long mailboxId, CancellationToken cancellationToken)
    {
        var (all, _) = await _store.GetUidsAsync(mailboxId, cancellationToken);
        var rows = await _store.GetSortKeysAsync(mailboxId, all, SortFields.All, cancellationToken);
        return SortSnapshot.BuildAscending(rows);
    }

    /// <summary>Drops least recently used mailboxes (never <paramref name="keep"/>) while over the limit.</summary>
    private void Evict(Entry keep)
    {
        long total = 0;
        foreach (var pair in _entries)
        {
            total += pair.Value.Snapshot?.Count ?? 0;
        }
        while (total > MessageLimit)
        {
            KeyValuePair<(long, uint), Entry>? oldest = null;
            foreach (var pair in _entries)
            {
                if (pair.Value != keep && (oldest is null || pair.Value.LastUsed < oldest.Value.Value.LastUsed))
                {
                    oldest = pair;
                }
            }
            if (oldest is not { } victim || !_entries.TryRemove(victim.Key, out _))
            {
                return;
            }
            total -= victim.Value.Snapshot?.Count ?? 0;
        }
    }

    /// <summary>Merges <paramref name="uids"/> (ascending) with the snapshot's: their indices, and the UIDs it lacks.</summary>
    private static (int[] Indices, List<uint>? Missing) Match(SortSnapshot snapshot, IReadOnlyList<uint> uids)
    {
        var indices = new int[uids.Count];
        var found = 0;
        List<uint>? missing = null;
        var known = snapshot.Uids;
        var count = snapshot.Count;
        var j = 0;
        for (var i = 0; i < uids.Count; i++)
        {
            var uid = uids[i];
            for (var step = 0; step < 8 && j < count && known[j] < uid; step++)
            {
                j++;
            }
            if (j < count && known[j] < uid)
            {
                // Far ahead: for a sparse selection a binary search beats walking every cached UID.
                var at = Array.BinarySearch(known, j, count - j, uid);
                j = at >= 0 ? at : ~at;
            }
            if (j < count && known[j] == uid)
            {
                indices[found++] = j++;
            }
            else
            {
                (missing ??= []).Add(uid);
            }
        }
        if (found < indices.Length)
        {
            Array.Resize(ref indices, found);
        }
        return (indices, missing);
    }

    private static bool Contains(SortSnapshot snapshot, uint uid) => Array.BinarySearch(snapshot.Uids, 0, snapshot.Count, uid) >= 0;

    private sealed class Entry
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        private SortSnapshot? _snapshot;

        public SortSnapshot? Snapshot
        {
            get => Volatile.Read(ref _snapshot);
            set => Volatile.Write(ref _snapshot, value);
        }

        public long LastUsed;
    }
}
