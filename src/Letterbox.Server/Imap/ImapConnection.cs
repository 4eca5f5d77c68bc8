using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Parsing;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Store;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Imap;

/// <summary>
/// One IMAP connection over any duplex pipe (a socket, or in-memory pipes for tests and benchmarks): greeting, read
/// loop, dispatch through the <see cref="CommandRegistry"/>, and the single path to every tagged reply. Commands are
/// answered strictly in order; output is flushed once per batch, when no complete command remains buffered.
/// </summary>
/// <remarks>RFC 9051 §2.2 (client/server protocol), §5.5 (multiple commands in progress), §7 (responses).</remarks>
public sealed partial class ImapConnection
{
    private readonly TlsUpgrade? _startTls;
    private PipeReader _input;
    private PipeWriter _output;
    private readonly ImapRequestReader _reader;
    private readonly ImapResponseWriter _writer;
    private readonly CommandRegistry _registry;
    private readonly ImapServerOptions _options;
    private readonly IMailStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private volatile bool _shuttingDown;

    /// <summary>Creates a connection; call <see cref="RunAsync"/> to serve it.</summary>
    /// <param name="transport">Bytes from and to the client. Both ends are completed when the session ends.</param>
    /// <param name="store">The mail store.</param>
    /// <param name="options">Limits and settings.</param>
    /// <param name="logger">Where to log; never receives passwords.</param>
    /// <param name="remoteEndPoint">The client's address for logs, or null.</param>
    /// <param name="registry">The command table; <see cref="CommandRegistry.Default"/> when null.</param>
    /// <param name="isTls">True when <paramref name="transport"/> already runs over TLS (implicit TLS).</param>
    /// <param name="startTls">Negotiates TLS for STARTTLS and returns the new transport; null when the connection
    /// cannot upgrade (STARTTLS is then neither advertised nor accepted).</param>
    public ImapConnection(IDuplexPipe transport, IMailStore store, ImapServerOptions options, ILogger logger, EndPoint? remoteEndPoint = null, CommandRegistry? registry = null, bool isTls = false, TlsUpgrade? startTls = null)
    {
        IsTls = isTls;
        _startTls = startTls;
        _input = transport.Input;
        _output = transport.Output;
        _store = store;
        _options = options;
        _logger = logger;
        _registry = registry ?? CommandRegistry.Default;
        _reader = new ImapRequestReader(options.Limits);
        _writer = new ImapResponseWriter(_output);
        Session = new ImapSession(this, store, options, logger, remoteEndPoint, _writer);
    }

    /// <summary>The session state handlers work with.</summary>
    public ImapSession Session { get; }

    /// <summary>True when the transport is TLS (implicit, or after STARTTLS).</summary>
    public bool IsTls { get; private set; }

    /// <summary>The certificate this connection's TLS handshake presented (its channel binding for
    /// SCRAM-SHA-256-PLUS), set by the listener; null before TLS or for in-memory connections.</summary>
    public TlsIdentity? TlsIdentity { get; internal set; }

    internal bool CanStartTls => _startTls is not null;

    internal bool StartTlsRequested { get; set; }

    /// <summary>
    /// Asks the connection to end gracefully: a command in progress finishes, then the client gets
    /// <c>* BYE Server shutting down</c> and the connection closes. Safe to call from any thread, more than once.
    /// </summary>
    public void RequestShutdown()
    {
        _shuttingDown = true;
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Serves the connection until LOGOUT, a fatal protocol error, client disconnect, shutdown or
    /// <paramref name="cancellationToken"/> (a hard abort). Never throws for client behaviour.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunCoreAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ImapProtocolException e)
        {
            await TrySendByeAsync(e.Message);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            _logger.LogDebug("Client {Remote} disconnected: {Message}", Session.RemoteEndPoint, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection from {Remote} failed", Session.RemoteEndPoint);
            await TrySendByeAsync("Internal error");
        }
        finally
        {
            try
            {
                Session.StopNotify();
                await Session.DisposeSelectedAsync();
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Disposing the selected mailbox failed");
            }
            Session.ReleaseUserSlot();
            _reader.Reset();
            try
            {
                await _input.CompleteAsync();
                await _output.CompleteAsync(); // flushes: throws when the client already reset the connection
            }
            catch (Exception e) when (IsDisconnect(e) || e is ObjectDisposedException)
            {
                _logger.LogDebug("Client {Remote} was gone at close: {Message}", Session.RemoteEndPoint, e.Message);
            }
            _shutdown.Dispose();
        }
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        _writer.WriteUntagged(ResponseCondition.Ok, "CAPABILITY " + Session.CapabilityLine, "Letterbox ready");
        var needMore = true;
        while (true)
        {
            if (_shuttingDown)
            {
                _writer.WriteUntagged(ResponseCondition.Bye, "Server shutting down");
                await FlushAsync(cancellationToken);
                return;
            }
            ReadResult result;
            if (needMore || !_input.TryRead(out result))
            {
                if (!await FlushAsync(cancellationToken))
                {
                    return;
                }
                try
                {
                    result = await ReadInputAsync(idle.Token, cancellationToken);
                }
                catch (OperationCanceledException) when (_shuttingDown && !cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
            }
            var buffer = result.Buffer;
            var outcome = _reader.Read(buffer, out var consumed);
            switch (outcome.Status)
            {
                case ReadStatus.NeedMoreData:
                    _input.AdvanceTo(consumed, buffer.End);
                    if (result.IsCompleted)
                    {
                        return;
                    }
                    needMore = true;
                    continue;
                case ReadStatus.SendContinuation:
                    _input.AdvanceTo(consumed);
                    _writer.WriteRaw("+ Ready for literal data\r\n"u8);
                    if (!await FlushAsync(cancellationToken))
                    {
                        return;
                    }
                    break;
                case ReadStatus.StreamLiteral:
                    _input.AdvanceTo(consumed);
                    if (!await StreamLiteralAsync(outcome, cancellationToken))
                    {
                        return;
                    }
                    break;
                case ReadStatus.Error:
                    _input.AdvanceTo(consumed);
                    WriteReadError(outcome);
                    if (outcome.CloseConnection)
                    {
                        await FlushAsync(cancellationToken);
                        return;
                    }
                    break;
                default:
                    _input.AdvanceTo(consumed);
                    await ExecuteAsync(outcome.Request!, cancellationToken);
                    if (Session.State is LogoutState)
                    {
                        if (Session.PendingBye is { } bye)
                        {
                            _writer.WriteUntagged(ResponseCondition.Bye, bye);
                        }
                        await FlushAsync(cancellationToken);
                        return;
                    }
                    if (StartTlsRequested)
                    {
                        if (!await StartTlsAsync(cancellationToken))
                        {
                            return;
                        }
                        needMore = true;
                        continue;
                    }
                    break;
            }
            needMore = false;
        }
    }

    /// <summary>
    /// STARTTLS after its tagged OK (RFC 9051 §6.2.1): sends the OK, discards every byte the client sent after the
    /// STARTTLS line (they arrived in cleartext and must not run under TLS: CVE-2011-0411), negotiates TLS and
    /// continues over the encrypted transport. False when the handshake failed (the connection then closes).
    /// </summary>
    private async ValueTask<bool> StartTlsAsync(CancellationToken cancellationToken)
    {
        StartTlsRequested = false;
        if (!await FlushAsync(cancellationToken))
        {
            return false;
        }
        _reader.Reset();
        await _input.CompleteAsync(); // drops buffered (pipelined) input; the socket stays open
        await _output.CompleteAsync();
        IDuplexPipe secure;
        try
        {
            secure = await _startTls!(cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException || IsDisconnect(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.LogDebug("STARTTLS handshake with {Remote} failed: {Message}", Session.RemoteEndPoint, e.Message);
            return false;
        }
        _input = secure.Input;
        _output = secure.Output;
        _writer.Retarget(_output);
        IsTls = true;
        return true;
    }

    /// <summary>Runs one command and writes its tagged reply: the single path every command ends through.</summary>
    private async ValueTask ExecuteAsync(ImapRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command;
        Session.CurrentTag = request.Tag;
        CommandResult result;
        if (!_registry.TryGet(command.Name, out var entry))
        {
            result = CommandResult.Bad("Unknown or unsupported command");
            entry = null;
        }
        else if ((entry.AllowedStates & Session.State.Flag) == 0)
        {
            result = CommandResult.Bad(entry.WrongStateText);
        }
        else
        {
            try
            {
                result = await entry.Handler(Session, command, cancellationToken);
            }
            catch (MailStoreException e)
            {
                result = StoreErrors.ToResult(e, (entry.Flags & CommandFlags.TryCreate) != 0);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not ImapProtocolException && !IsDisconnect(e))
            {
                _logger.LogError(e, "{Command} failed for {Remote}", command.Name, Session.RemoteEndPoint);
                result = CommandResult.No("SERVERBUG", "Internal error");
            }
        }
        await CompleteCommandAsync(request.Tag, entry, command, result, cancellationToken);
    }

    private async ValueTask CompleteCommandAsync(string tag, CommandEntry? entry, ImapCommand command, CommandResult result, CancellationToken cancellationToken)
    {
        var allowExpunge = entry is null || (entry.Flags & CommandFlags.UsesSequenceNumbers) == 0 || IsUidForm(command);
        if (Session.SelectedMailbox is { } mailbox)
        {
            try
            {
                await mailbox.SyncAsync(allowExpunge, _writer, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsDisconnect(e))
            {
                _logger.LogError(e, "Mailbox sync failed for {Remote}", Session.RemoteEndPoint);
            }
        }
        if (Session.Notify is not null)
        {
            await DeliverAtCommandEndAsync(command, allowExpunge, cancellationToken);
        }
        if (result.CodeWriter is { } codeWriter)
        {
            _writer.WriteStatusStart(tag, result.Condition);
            codeWriter(_writer);
            _writer.WriteText(result.Text);
            _writer.WriteCrlf();
        }
        else
        {
            _writer.WriteTagged(tag, result.Condition, result.Code, result.Text);
        }
    }

    private static bool IsUidForm(ImapCommand command) => command switch
    {
        FetchCommand c => c.Uid,
        StoreCommand c => c.Uid,
        SearchCommand c => c.Uid,
        CopyCommand c => c.Uid,
        MoveCommand c => c.Uid,
        _ => false,
    };

    private void WriteReadError(in ReadOutcome outcome)
    {
        var condition = outcome.IsNo ? ResponseCondition.No : ResponseCondition.Bad;
        var text = outcome.ErrorText ?? "Invalid command";
        if (outcome.Tag is null)
        {
            _writer.WriteUntagged(condition, outcome.ResponseCode, text);
        }
        else
        {
            _writer.WriteTagged(outcome.Tag, condition, outcome.ResponseCode, text);
        }
    }

    internal async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (!await FlushAsync(cancellationToken))
        {
            return null;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (true)
        {
            var result = await _input.ReadAsync(linked.Token);
            var buffer = result.Buffer;
            if (ImapRequestReader.TryReadLine(buffer, _options.Limits.MaxLineLength, out var line, out var consumed, out var tooLong))
            {
                var text = tooLong ? null : Encoding.UTF8.GetString(line);
                _input.AdvanceTo(consumed);
                return text ?? throw new ImapProtocolException("Line too long");
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    internal async ValueTask FlushOutputAsync(CancellationToken cancellationToken) => await FlushAsync(cancellationToken);

    /// <summary>Flushes output; false when the client has gone.</summary>
    private async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.UnflushedBytes == 0 && _output.CanGetUnflushedBytes)
        {
            return true;
        }
        var flush = await _output.FlushAsync(cancellationToken);
        return !flush.IsCompleted && !flush.IsCanceled;
    }

    private async ValueTask TrySendByeAsync(string text)
    {
        try
        {
            _writer.WriteUntagged(ResponseCondition.Bye, text);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _output.FlushAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException || IsDisconnect(e))
        {
        }
    }

    internal static bool IsDisconnect(Exception e) =>
        e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException { Source: "System.IO.Pipelines" };
}
