using System.Net;
using System.Security.Cryptography.X509Certificates;
using Letterbox.Imap.Parsing;

namespace Letterbox.Server;

/// <summary>
/// Settings of the IMAP listener and its sessions. The defaults work on a laptop: one cleartext listener on
/// 127.0.0.1:1143 (STARTTLS is offered once <see cref="Certificate"/> is set), plaintext passwords accepted only
/// from loopback or under TLS (<see cref="PlaintextAuth"/>).
/// </summary>
public sealed class ImapServerOptions
{
    /// <summary>Addresses to listen on, each plain (STARTTLS-capable) or implicit TLS (RFC 8314). Port 0 binds an
    /// ephemeral port (see <see cref="ImapServer.BoundEndPoints"/>). Default: 127.0.0.1:1143, plain.</summary>
    public IList<ImapEndpoint> Endpoints { get; init; } = [new IPEndPoint(IPAddress.Loopback, 1143)];

    /// <summary>The server certificate with its private key (see <see cref="TlsCertificates"/>). Required for
    /// implicit TLS endpoints; when null, plain endpoints do not offer STARTTLS.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Intermediate certificates sent with <see cref="Certificate"/> (e.g. the rest of a fullchain.pem).</summary>
    public X509Certificate2Collection? CertificateChain { get; init; }

    /// <summary>When LOGIN and AUTHENTICATE PLAIN/LOGIN are allowed without TLS. Default
    /// <see cref="PlaintextAuthPolicy.Loopback"/>. Where they are not, CAPABILITY shows LOGINDISABLED and LOGIN is
    /// answered <c>NO [PRIVACYREQUIRED]</c> (RFC 9051 §6.2.3, RFC 5530 §3).</summary>
    public PlaintextAuthPolicy PlaintextAuth { get; init; } = PlaintextAuthPolicy.Loopback;

    /// <summary>Time a client has to complete a TLS handshake (implicit TLS or after STARTTLS). Default 30 s.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Maximum simultaneous connections over all endpoints; one more is answered
    /// <c>* BYE [UNAVAILABLE] Too many connections</c> and closed. Default 1000.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Maximum simultaneous logged-in sessions of one user from one remote address (like Dovecot's
    /// <c>mail_max_userip_connections</c>), checked at LOGIN/AUTHENTICATE: one more is answered <c>NO [LIMIT] Too
    /// many connections for this user from this address</c> (RFC 5530 §3) and stays unauthenticated. Default 20;
    /// zero or negative means no limit.</summary>
    public int MaxUserConnections { get; init; } = 20;

    /// <summary>Most messages the SORT/THREAD column cache (<see cref="Letterbox.Mail.Sorting.MailboxSortCache"/>)
    /// holds over all mailboxes of the store, ~100 bytes each; least recently used mailboxes are dropped first
    /// (default 2,000,000, ≈ 200 MB). Taken when the store's cache is first used.</summary>
    public int SortCacheMessages { get; init; } = 2_000_000;

    /// <summary>Logged-in sessions per (user, remote address), shared by every connection of the server (see
    /// <see cref="MaxUserConnections"/>).</summary>
    public Imap.UserConnectionCounter UserConnections { get; init; } = new();

    /// <summary>Enables TCP keepalive (SO_KEEPALIVE) on accepted sockets, so dead peers of idle connections are
    /// noticed and NAT state is refreshed. Default true.</summary>
    public bool TcpKeepAlive { get; init; } = true;

    /// <summary>Idle time before the first TCP keepalive probe (TCP_KEEPIDLE), when <see cref="TcpKeepAlive"/> is
    /// on. Default 5 minutes (the Linux default, 2 hours, is longer than many NAT timeouts); null keeps the
    /// operating system's value.</summary>
    public TimeSpan? TcpKeepAliveTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Request reader limits (line, literal and command sizes; RFC 9051 §4.3 leaves them to the server).</summary>
    public ImapLimits Limits { get; init; } = ImapLimits.Default;

    /// <summary>Delay before answering a failed LOGIN/AUTHENTICATE, multiplied by the larger of the connection's and
    /// the remote address's failure count (<see cref="LoginFailures"/>), at most <see cref="MaxLoginFailureDelay"/>
    /// (300 ms, 600 ms, …). Zero disables it (tests).</summary>
    public TimeSpan LoginFailureDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The longest delay before answering a failed authentication. Default 10 s.</summary>
    public TimeSpan MaxLoginFailureDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Recent failed authentications per remote address, shared by every connection of the server, so a
    /// client cannot escape the delay by reconnecting.</summary>
    public Imap.LoginFailureTracker LoginFailures { get; init; } = new();

    /// <summary>Failed authentications after which the connection is closed with <c>* BYE</c>. Default 5.</summary>
    public int MaxLoginFailures { get; init; } = 5;

    /// <summary>A safety net only: how often an IDLE session re-reads its selected mailbox even without a change
    /// notification. IDLE is pushed by the store's change feed (<see cref="Letterbox.Mail.Store.IChangeFeed"/>), so
    /// the default is <see cref="Timeout.InfiniteTimeSpan"/> (off); zero or negative also means off.</summary>
    public TimeSpan IdlePollInterval { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long one IDLE may last before the server ends the connection with <c>* BYE Disconnected for
    /// inactivity in IDLE</c> (RFC 2177 §3, RFC 9051 §6.3.13: clients re-issue IDLE at least every 29 minutes).
    /// Default 29 minutes; infinite, zero or negative means never.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(29);

    /// <summary>Most change events (RFC 5465) a NOTIFY session may have waiting before it gets
    /// <c>* OK [NOTIFICATIONOVERFLOW]</c> and NOTIFY is turned off (§5.8). Events on one mailbox count each time, even
    /// though they are written as one STATUS. Default 1000.</summary>
    public int NotifyQueueLimit { get; init; } = 1000;

    /// <summary>Interval of the <c>* OK Still here</c> keepalive during IDLE, so NAT boxes keep the connection.
    /// Default 2 minutes.</summary>
    public TimeSpan IdleKeepaliveInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Recent successful password verifications (HMAC of the password, in memory), so frequent reconnects
    /// skip the PBKDF2 cost. Shared by every connection of the server; capacity 0 disables it.</summary>
    public Imap.CredentialCache CredentialCache { get; init; } = new();

    /// <summary>The server's name in the ID response (RFC 2971) and log lines. Default "Letterbox".</summary>
    public string ServerName { get; init; } = "Letterbox";

    /// <summary>Where the certificate comes from when it can change while the server runs (PEM files reloaded on
    /// SIGHUP or when they change, see <see cref="TlsCertificateSource"/>). Takes precedence over
    /// <see cref="Certificate"/> and <see cref="CertificateChain"/>; each new handshake uses its current certificate.</summary>
    public TlsCertificateSource? CertificateSource { get; init; }

    /// <summary>Counts of successful, failed and refused authentications, per mechanism; shared by every connection
    /// of the server (also <see cref="ImapServer.Authentications"/>).</summary>
    public Imap.AuthenticationCounters AuthenticationCounters { get; init; } = new();

    /// <summary>How long <see cref="ImapServer.StopAsync"/> lets in-flight commands finish before aborting them,
    /// when its own token does not fire first. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
