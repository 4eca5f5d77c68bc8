using System.Collections.Concurrent;
using System.Net;

namespace Letterbox.Server.Imap;

/// <summary>
/// Counts recent failed authentications per remote IP address, in memory, shared by every connection of a server:
/// the failure delay then grows with the address's failures, so reconnecting does not reset it. A count expires
/// <see cref="Window"/> after its address's last failure. In-process connections (no address) are not tracked.
/// </summary>
public sealed class LoginFailureTracker
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;

    /// <summary>Creates a tracker.</summary>
    /// <param name="window">How long a failure counts; default 15 minutes.</param>
    /// <param name="capacity">Addresses tracked at most; when full, expired entries are dropped (and, if that is not
    /// enough, all of them: a crude bound against address-spraying).</param>
    /// <param name="time">The clock (tests).</param>
    public LoginFailureTracker(TimeSpan? window = null, int capacity = 100_000, TimeProvider? time = null)
    {
        Window = window ?? TimeSpan.FromMinutes(15);
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long a failure counts after the address's last one.</summary>
    public TimeSpan Window { get; }

    /// <summary>Records a failure from <paramref name="remote"/>; returns the address's recent failures including
    /// this one (0 when the end point has no IP address).</summary>
    public int RecordFailure(EndPoint? remote)
    {
        if (Key(remote) is not { } address)
        {
            return 0;
        }
        var now = _time.GetUtcNow();
        if (_entries.Count >= _capacity)
        {
            Prune(now);
        }
        var entry = _entries.AddOrUpdate(
            address,
            static (_, now) => new Entry(1, now),
            (_, old, now) => new Entry(now - old.Last > Window ? 1 : old.Count + 1, now),
            now);
        return entry.Count;
    }

    /// <summary>The address's failures within the window (0 for none or no address).</summary>
    public int GetFailures(EndPoint? remote)
    {
        if (Key(remote) is not { } address || !_entries.TryGetValue(address, out var entry))
        {
            return 0;
        }
        return _time.GetUtcNow() - entry.Last > Window ? 0 : entry.Count;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _entries)
        {
            if (now - entry.Last > Window)
            {
                _entries.TryRemove(address, out _);
            }
        }
        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }
    }

    private static IPAddress? Key(EndPoint? remote)
    {
        if (remote is not IPEndPoint ip)
        {
            return null;
        }
        return ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
    }

    private readonly record struct Entry(int Count, DateTimeOffset Last);
}
