using System.Net;
using Letterbox.Imap.Parsing;

namespace Letterbox.Server;

/// <summary>
/// Settings of the IMAP listener and its sessions. The defaults work on a laptop: one plaintext listener on
/// 127.0.0.1:1143. Plaintext only for now: STARTTLS and implicit TLS are not implemented, so never expose a
/// listener beyond loopback without a TLS-terminating proxy in front.
/// </summary>
public sealed class ImapServerOptions
{
    /// <summary>Addresses to listen on. Port 0 binds an ephemeral port (see <see cref="ImapServer.BoundEndPoints"/>).
    /// Default: 127.0.0.1:1143.</summary>
    public IList<IPEndPoint> Endpoints { get; init; } = [new IPEndPoint(IPAddress.Loopback, 1143)];

    /// <summary>Maximum simultaneous connections over all endpoints; one more is answered
    /// <c>* BYE [UNAVAILABLE] Too many connections</c> and closed. Default 1000.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Request reader limits (line, literal and command sizes; RFC 9051 §4.3 leaves them to the server).</summary>
    public ImapLimits Limits { get; init; } = ImapLimits.Default;

    /// <summary>Delay before answering a failed LOGIN/AUTHENTICATE, multiplied by the connection's failure count
    /// (300 ms, 600 ms, …). Zero disables it (tests).</summary>
    public TimeSpan LoginFailureDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Failed authentications after which the connection is closed with <c>* BYE</c>. Default 5.</summary>
    public int MaxLoginFailures { get; init; } = 5;

    /// <summary>How often an IDLE session checks its selected mailbox for changes to push (RFC 2177). Default 1 s.</summary>
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Interval of the <c>* OK Still here</c> keepalive during IDLE, so NAT boxes keep the connection.
    /// Default 2 minutes.</summary>
    public TimeSpan IdleKeepaliveInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Recent successful password verifications (HMAC of the password, in memory), so frequent reconnects
    /// skip the PBKDF2 cost. Shared by every connection of the server; capacity 0 disables it.</summary>
    public Imap.CredentialCache CredentialCache { get; init; } = new();

    /// <summary>The server's name in the ID response (RFC 2971) and log lines. Default "Letterbox".</summary>
    public string ServerName { get; init; } = "Letterbox";

    /// <summary>How long <see cref="ImapServer.StopAsync"/> lets in-flight commands finish before aborting them,
    /// when its own token does not fire first. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
