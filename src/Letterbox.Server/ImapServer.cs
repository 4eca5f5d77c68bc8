using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Letterbox.Mail.Store;
using Letterbox.Server.Imap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server;

/// <summary>
/// The IMAP listener: accepts TCP connections on <see cref="ImapServerOptions.Endpoints"/> and serves each with an
/// <see cref="ImapConnection"/>. Enforces <see cref="ImapServerOptions.MaxConnections"/>; stops gracefully.
/// Plaintext only (no TLS yet).
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
    private int _connectionCount;
    private bool _stopping;

    /// <summary>Creates a server; nothing is bound until <see cref="StartAsync"/>.</summary>
    public ImapServer(IMailStore store, ImapServerOptions options, ILoggerFactory? loggerFactory = null)
    {
        _store = store;
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Letterbox.Server.Imap");
    }

    /// <summary>The addresses actually bound (with real port numbers when 0 was configured), after StartAsync.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints { get; private set; } = [];

    /// <summary>Connections currently open.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Binds every endpoint and starts accepting. Throws SocketException when an address is in use.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var bound = new List<IPEndPoint>();
        foreach (var endpoint in _options.Endpoints)
        {
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
            _logger.LogInformation("IMAP listening on {EndPoint}", local);
            _acceptLoops.Add(AcceptLoopAsync(socket));
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

    private async Task AcceptLoopAsync(Socket listener)
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
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var remote = client.RemoteEndPoint;
        try
        {
            client.NoDelay = true;
            client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
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
        var pipe = new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
        var connection = new ImapConnection(pipe, _store, _options, _logger, remote);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _connections.Add(connection, done.Task);
            if (_stopping)
            {
                connection.RequestShutdown();
            }
        }
        try
        {
            _logger.LogDebug("Connection from {Remote}", remote);
            await connection.RunAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection from {Remote} ended with an error", remote);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _connections.Remove(connection);
            }
            Interlocked.Decrement(ref _connectionCount);
            done.TrySetResult();
        }
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
