using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Letterbox.Server.Imap;

/// <summary>
/// Remembers recent successful password verifications so a client that reconnects often (phones, sync tools,
/// benchmarks) does not pay the full PBKDF2 cost on every LOGIN — the same idea as Dovecot's auth cache.
/// Only an HMAC-SHA256 of the password under a per-process random key is kept, in memory, tied to the stored
/// hash string: changing the password (a new stored hash) invalidates the entry. Comparison is constant time.
/// A miss, or a mismatch, falls back to full verification; failures are never cached.
/// </summary>
public sealed class CredentialCache
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    /// <summary>Creates a cache of at most <paramref name="capacity"/> users, each entry valid for
    /// <paramref name="lifetime"/> (default 1 hour). Capacity 0 disables caching.</summary>
    public CredentialCache(int capacity = 10_000, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        _capacity = capacity;
        _lifetime = lifetime ?? TimeSpan.FromHours(1);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Returns true when <paramref name="password"/> was verified for this user and stored hash within the
    /// lifetime. False means "unknown": the caller must verify in full.</summary>
    public bool IsKnownGood(string userName, string storedHash, string password)
    {
        if (_capacity == 0 || !_entries.TryGetValue(userName, out var entry)) return false;
        if (!string.Equals(entry.StoredHash, storedHash, StringComparison.Ordinal) || _time.GetUtcNow() > entry.Expires) return false;
        return CryptographicOperations.FixedTimeEquals(entry.Mac, Mac(password));
    }

    /// <summary>Records a successful full verification.</summary>
    public void Remember(string userName, string storedHash, string password)
    {
        if (_capacity == 0) return;
        if (_entries.Count >= _capacity) _entries.Clear(); // crude bound: a full cache starts over
        _entries[userName] = new Entry(storedHash, Mac(password), _time.GetUtcNow() + _lifetime);
    }

    private byte[] Mac(string password) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));

    private sealed record Entry(string StoredHash, byte[] Mac, DateTimeOffset Expires);
}
