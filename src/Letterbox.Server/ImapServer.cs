using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Letterbox.Mail.Store;
using Letterbox.Server.Imap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server;

/// <summary>
/// The IMAP listener: accepts TCP connections on <see cref="ImapServerOptions.Endpoints"/> and serves each with an
/// <see cref="ImapConnection"/>: implicit TLS endpoints negotiate TLS first (RFC 8314 §3.2), plain ones offer
/// STARTTLS (RFC 9051 §6.2.1) when a certificate is configured. TLS 1.2 and 1.3 only, with the operating system's
/// cipher suites. Enforces <see cref="ImapServerOptions.MaxConnections"/>; stops gracefully.
/// </summary>
public sealed class ImapServer : IAsyncDisposable
{
    private static readonly byte[] TooManyConnections = "* BYE [UNAVAILABLE] Too many connections\r\n"u8.ToArray();

    private readonly IMailStore _store;
    private readonly ImapServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly Dictionary<ImapConnection, Task> _connections = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TlsCertificateSource? _certificate;
    private int _connectionCount;
    private bool _stopping;

    /// <summary>Creates a server; nothing is bound until <see cref="StartAsync"/>.</summary>
    public ImapServer(IMailStore store, ImapServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        _store = store;
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Letterbox.Server.Imap");
        _certificate = options.CertificateSource
            ?? (options.Certificate is { } certificate ? TlsCertificateSource.Fixed(certificate, options.CertificateChain) : null);
    }

    /// <summary>The certificate new TLS handshakes use (<see cref="ImapServerOptions.CertificateSource"/>, or the fixed
    /// <see cref="ImapServerOptions.Certificate"/>); null when the server has none.</summary>
    public TlsCertificateSource? Certificates => _certificate;

    /// <summary>The addresses actually bound (with real port numbers when 0 was configured), after StartAsync.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints { get; private set; } = [];

    /// <summary>Authentication outcomes since start (<see cref="ImapServerOptions.AuthenticationCounters"/>).</summary>
    public AuthenticationCounters Authentications => _options.AuthenticationCounters;

    /// <summary>Connections currently open.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Binds every endpoint and starts accepting. Throws SocketException when an address is in use, and
    /// InvalidOperationException for an implicit TLS endpoint without <see cref="ImapServerOptions.Certificate"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var bound = new List<IPEndPoint>();
        foreach (var configured in _options.Endpoints)
        {
            if (configured.Kind == ImapEndpointKind.ImplicitTls && _certificate is null)
            {
                throw new InvalidOperationException($"The implicit TLS endpoint {configured.Address} needs a certificate (ImapServerOptions.Certificate).");
            }
        }
        foreach (var configured in _options.Endpoints)
        {
            var endpoint = configured.Address;
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }
                socket.Bind(endpoint);
                socket.Listen(512);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _listeners.Add(socket);
            var local = (IPEndPoint)socket.LocalEndPoint!;
            bound.Add(local);
            _logger.LogInformation("IMAP listening on {EndPoint} ({Kind})", local,
                configured.Kind == ImapEndpointKind.ImplicitTls ? "implicit TLS" : _certificate is null ? "cleartext, no STARTTLS" : "STARTTLS");
            _acceptLoops.Add(AcceptLoopAsync(socket, configured.Kind));
        }
        BoundEndPoints = bound;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting, lets in-flight commands finish, sends <c>* BYE Server shutting down</c> to every client
    /// and closes. Connections still busy after <see cref="ImapServerOptions.ShutdownTimeout"/> or when
    /// <paramref name="cancellationToken"/> fires are aborted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
            foreach (var connection in _connections.Keys)
            {
                connection.RequestShutdown();
            }
        }
        _stopAccepting.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _connections.Values];
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ShutdownTimeout);
        var all = Task.WhenAll(running);
        try
        {
            await all.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Aborting {Count} IMAP connections that did not finish in time", ConnectionCount);
            _abort.Cancel();
            await all.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopAccepting.Dispose();
        _abort.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, ImapEndpointKind kind)
    {
        await Task.Yield();
        while (!_stopAccepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopAccepting.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || _stopAccepting.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accept failed: {Message}", e.Message);
                continue;
            }
            _ = ServeAsync(client, kind);
        }
    }

    private async Task ServeAsync(Socket client, ImapEndpointKind kind)
    {
        var remote = client.RemoteEndPoint;
        try
        {
            client.NoDelay = true;
            if (_options.TcpKeepAlive)
            {
                client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                if (_options.TcpKeepAliveTime is { } idle && idle >= TimeSpan.FromSeconds(1))
                {
                    client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)Math.Min(idle.TotalSeconds, int.MaxValue));
                }
            }
        }
        catch (SocketException)
        {
        }
        if (Interlocked.Increment(ref _connectionCount) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _connectionCount);
            _logger.LogWarning("Refusing {Remote}: too many connections", remote);
            await RefuseAsync(client).ConfigureAwait(false);
            return;
        }
        var stream = new NetworkStream(client, ownsSocket: true);
        SslStream? tls = null;
        TlsIdentity? identity = null;
        ImapConnection? connection = null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _logger.LogDebug("Connection from {Remote}", remote);
            IDuplexPipe pipe;
            if (kind == ImapEndpointKind.ImplicitTls)
            {
                // Not registered yet, so StopAsync does not wait for it: a stop cancels the handshake.
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, _stopAccepting.Token);
                (tls, identity) = await NegotiateTlsAsync(stream, remote, handshake.Token).ConfigureAwait(false);
                pipe = CreatePipe(tls);
            }
            else
            {
                pipe = CreatePipe(stream);
            }
            TlsUpgrade? startTls = kind == ImapEndpointKind.Plain && _certificate is not null
                ? async cancellationToken =>
                {
                    (tls, var negotiated) = await NegotiateTlsAsync(stream, remote, cancellationToken).ConfigureAwait(false);
                    connection!.TlsIdentity = negotiated;
                    return CreatePipe(tls);
                }
                : null;
            connection = new ImapConnection(pipe, _store, _options, _logger, remote, isTls: tls is not null, startTls: startTls) { TlsIdentity = identity };
            lock (_gate)
            {
                _connections.Add(connection, done.Task);
                if (_stopping)
                {
                    connection.RequestShutdown();
                }
            }
            await connection.RunAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException || ImapConnection.IsDisconnect(e) || (e is OperationCanceledException && !_abort.IsCancellationRequested))
        {
            _logger.LogDebug("TLS handshake with {Remote} failed: {Message}", remote, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection from {Remote} ended with an error", remote);
        }
        finally
        {
            if (tls is not null)
            {
                try
                {
                    await tls.ShutdownAsync().ConfigureAwait(false); // close_notify, so clients see a clean end
                }
                catch (Exception e) when (ImapConnection.IsDisconnect(e) || e is InvalidOperationException or NotSupportedException)
                {
                }
                await tls.DisposeAsync().ConfigureAwait(false);
            }
            await stream.DisposeAsync().ConfigureAwait(false);
            if (connection is not null)
            {
                lock (_gate)
                {
                    _connections.Remove(connection);
                }
            }
            Interlocked.Decrement(ref _connectionCount);
            done.TrySetResult();
        }
    }

    /// <summary>Pipes over <paramref name="stream"/> that leave it open, so STARTTLS can wrap it afterwards.</summary>
    private static DuplexPipe CreatePipe(Stream stream)
        => new(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));

    /// <summary>Server side of a TLS handshake (TLS 1.2/1.3, OS cipher defaults, no client certificate), bounded
    /// by <see cref="ImapServerOptions.TlsHandshakeTimeout"/>, with the certificate current now (a reload during the
    /// handshake does not change it); logs the negotiated protocol and cipher suite.</summary>
    private async Task<(SslStream Tls, TlsIdentity Identity)> NegotiateTlsAsync(Stream stream, EndPoint? remote, CancellationToken cancellationToken)
    {
        var identity = _certificate!.Current;
        var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.TlsHandshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = identity.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                AllowRenegotiation = false,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _logger.LogDebug("TLS with {Remote}: {Protocol} {Cipher}", remote, tls.SslProtocol, tls.NegotiatedCipherSuite);
        return (tls, identity);
    }

    private static async Task RefuseAsync(Socket client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.SendAsync(TooManyConnections, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }
}
