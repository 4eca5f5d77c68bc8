using System.Net;
using System.Net.Sockets;
using Letterbox.Mail.Users;
using Letterbox.Server;
using Letterbox.Storage.Sqlite;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// The real server running in-process: a <see cref="SqliteMailStore"/> in a temporary data directory and an
/// <see cref="ImapServer"/> listening on 127.0.0.1 with an ephemeral port. <see cref="RestartAsync"/> stops both and
/// opens them again on the same directory (UIDVALIDITY persistence tests).
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private static int _userCounter;
    private SqliteMailStore? _store;
    private ImapServer? _server;

    private readonly TestPki? _pki;
    private readonly TlsCertificateSource? _certificates;
    private readonly PlaintextAuthPolicy _plaintextAuth;
    private readonly Func<Letterbox.Mail.Store.IMailStore, Letterbox.Mail.Store.IMailStore>? _wrapStore;

    private TestServer(string dataDirectory, TestPki? pki, PlaintextAuthPolicy plaintextAuth, TlsCertificateSource? certificates, Func<Letterbox.Mail.Store.IMailStore, Letterbox.Mail.Store.IMailStore>? wrapStore)
    {
        DataDirectory = dataDirectory;
        _pki = pki;
        _plaintextAuth = plaintextAuth;
        _certificates = certificates;
        _wrapStore = wrapStore;
    }

    private bool HasTls => _pki is not null || _certificates is not null;

    /// <summary>The running server.</summary>
    public ImapServer Listener => _server ?? throw new InvalidOperationException("Server is stopped");

    /// <summary>The temporary data directory, deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The store the server uses.</summary>
    public SqliteMailStore Store => _store ?? throw new InvalidOperationException("Server is stopped");

    /// <summary>The bound loopback port of the cleartext listener (STARTTLS-capable when a certificate is set).</summary>
    public int Port { get; private set; }

    /// <summary>The bound loopback port of the implicit TLS listener (only with a certificate).</summary>
    public int TlsPort { get; private set; }

    /// <summary>Starts a server on a fresh temporary data directory; with <paramref name="pki"/>, its server
    /// certificate is used for STARTTLS and an implicit TLS listener; so is <paramref name="certificates"/>'s
    /// (reloadable) certificate, which takes precedence. <paramref name="wrapStore"/> may wrap the store the
    /// listener serves (e.g. <see cref="BodyReadCounter"/>); <see cref="Store"/> stays the unwrapped one.</summary>
    public static async Task<TestServer> StartAsync(TestPki? pki = null, PlaintextAuthPolicy plaintextAuth = PlaintextAuthPolicy.Loopback, TlsCertificateSource? certificates = null, Func<Letterbox.Mail.Store.IMailStore, Letterbox.Mail.Store.IMailStore>? wrapStore = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "letterbox-e2e-" + Guid.NewGuid().ToString("N"));
        var server = new TestServer(dir, pki, plaintextAuth, certificates, wrapStore);
        await server.StartCoreAsync();
        return server;
    }

    private async Task StartCoreAsync()
    {
        _store = await SqliteMailStore.OpenAsync(DataDirectory);
        var options = new ImapServerOptions
        {
            Endpoints = !HasTls
                ? [new IPEndPoint(IPAddress.Loopback, 0)]
                : [new IPEndPoint(IPAddress.Loopback, 0), new ImapEndpoint(new IPEndPoint(IPAddress.Loopback, 0), ImapEndpointKind.ImplicitTls)],
            Certificate = _pki?.ServerCertificate,
            CertificateSource = _certificates,
            PlaintextAuth = _plaintextAuth,
            LoginFailureDelay = TimeSpan.Zero,
        };
        _server = new ImapServer(_wrapStore?.Invoke(_store) ?? _store, options, NullLoggerFactory.Instance);
        await _server.StartAsync(CancellationToken.None);
        Port = _server.BoundEndPoints[0].Port;
        TlsPort = !HasTls ? 0 : _server.BoundEndPoints[1].Port;
    }

    /// <summary>Stops the server and closes the store, then opens both again on the same data directory.</summary>
    public async Task RestartAsync()
    {
        await StopCoreAsync();
        await StartCoreAsync();
    }

    private async Task StopCoreAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            await _server.DisposeAsync();
            _server = null;
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }

    /// <summary>Creates a new user with a unique name (cheap hash: 1000 iterations; SCRAM secret with the RFC 7677
    /// minimum of 4096, which MailKit prefers over PLAIN) and returns its credentials.</summary>
    public async Task<(string Name, string Password)> AddUserAsync(string prefix = "user")
    {
        var name = $"{prefix}{Interlocked.Increment(ref _userCounter)}@example.com";
        var password = "pw-" + Guid.NewGuid().ToString("N")[..8];
        var user = await Store.AddUserAsync(name, PasswordHasher.Hash(password, iterations: 1000));
        await Store.SetScramSecretAsync(user.Id, ScramSecret.Create(password, iterations: 4096).ToString());
        return (name, password);
    }

    /// <summary>A MailKit client connected (not authenticated) with no TLS.</summary>
    public async Task<ImapClient> ConnectAsync(IProtocolLogger? logger = null)
    {
        var client = logger is null ? new ImapClient() : new ImapClient(logger);
        client.Timeout = 15000;
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>A new user and a MailKit client logged in as that user.</summary>
    public async Task<ImapClient> NewUserClientAsync()
    {
        var (name, password) = await AddUserAsync();
        var client = await ConnectAsync();
        await client.AuthenticateAsync(name, password);
        return client;
    }

    /// <summary>A raw TCP client reading the greeting.</summary>
    public async Task<RawImapClient> ConnectRawAsync()
    {
        var raw = await RawImapClient.ConnectAsync(Port);
        return raw;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One server per test class (xunit class fixture); each test makes its own user, so tests are
/// independent of each other.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    /// <summary>The running server.</summary>
    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
