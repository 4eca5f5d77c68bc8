using System.Net;

namespace Letterbox.Server.Imap;

/// <summary>
/// Logged-in sessions per (user, remote address), for <see cref="ImapServerOptions.MaxUserConnections"/> (Dovecot's
/// <c>mail_max_userip_connections</c>). A session takes a slot when it authenticates and gives it back when it ends.
/// Thread-safe; one instance is shared by every connection of a server.
/// </summary>
public sealed class UserConnectionCounter
{
    private readonly Dictionary<(long UserId, IPAddress? Address), int> _counts = [];
    private readonly Lock _gate = new();

    /// <summary>Takes a slot for <paramref name="userId"/> from <paramref name="remote"/> (in-memory sessions, with no
    /// address, share one key) unless <paramref name="limit"/> slots are taken already.</summary>
    /// <param name="userId">The store's user id.</param>
    /// <param name="remote">The client's address; the port is ignored, IPv4-mapped IPv6 counts as IPv4.</param>
    /// <param name="limit">Most slots per key; zero or negative means no limit.</param>
    /// <returns>The slot (dispose it once when the session ends), or null when the limit is reached.</returns>
    public IDisposable? TryAcquire(long userId, EndPoint? remote, int limit)
    {
        var key = (userId, AddressOf(remote));
        lock (_gate)
        {
            _counts.TryGetValue(key, out var count);
            if (limit > 0 && count >= limit)
            {
                return null;
            }
            _counts[key] = count + 1;
        }
        return new Slot(this, key);
    }

    /// <summary>Slots taken now by <paramref name="userId"/> from <paramref name="remote"/>.</summary>
    public int Count(long userId, EndPoint? remote)
    {
        lock (_gate)
        {
            return _counts.TryGetValue((userId, AddressOf(remote)), out var count) ? count : 0;
        }
    }

    private void Release((long, IPAddress?) key)
    {
        lock (_gate)
        {
            if (_counts.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    _counts.Remove(key);
                }
                else
                {
                    _counts[key] = count - 1;
                }
            }
        }
    }

    private static IPAddress? AddressOf(EndPoint? remote) => remote is IPEndPoint ip
        ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address
        : null;

    private sealed class Slot(UserConnectionCounter owner, (long, IPAddress?) key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(key);
            }
        }
    }
}
