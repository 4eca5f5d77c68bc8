using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Letterbox.Bench;

/// <summary>Receives one response line (without CRLF).</summary>
internal delegate void LineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// A minimal IMAP client over a raw socket, so the client is never the bottleneck: it sends a command line and
/// reads the response stream until the tagged reply, skipping literals without decoding or buffering them, and
/// counts the bytes received. It understands exactly enough of RFC 9051 §4.3 (literals <c>{n}</c>) and §7.1
/// (tagged status) to find the end of a response.
/// </summary>
internal sealed class RawImapClient : IAsyncDisposable
{
    /// <summary>Longest wait for one command's complete response.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private int _tagCounter;

    private RawImapClient(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Connects to <paramref name="endPoint"/> and reads the greeting (must be <c>* OK</c>).
    /// <paramref name="bufferSize"/> bounds the longest response line (literals may be any size).</summary>
    public static async Task<RawImapClient> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken, int bufferSize = 256 * 1024)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new RawImapClient(socket, bufferSize);
        try
        {
            var greeting = await client.ReadLineAsync(cancellationToken);
            if (!greeting.StartsWith("* OK", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Unexpected greeting: " + greeting);
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>Sends <c>tag command</c> and reads until the tagged reply. Throws unless it is OK.</summary>
    /// <returns>Bytes received (untagged data, literals and the tagged line) and the tagged line.</returns>
    public Task<(long Bytes, string Tagged)> CommandAsync(string command, CancellationToken cancellationToken) =>
        CommandAsync(command, null, cancellationToken);

    /// <summary>As <see cref="CommandAsync(string, CancellationToken)"/>, passing every untagged line (without CRLF,
    /// literals excluded) to <paramref name="onLine"/>.</summary>
    public async Task<(long Bytes, string Tagged)> CommandAsync(string command, LineHandler? onLine, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            return await CommandCoreAsync(command, onLine, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"'{Shorten(command)}' got no complete response within {CommandTimeout.TotalSeconds} s.");
        }
    }

    private async Task<(long Bytes, string Tagged)> CommandCoreAsync(string command, LineHandler? onLine, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        var line = Encoding.UTF8.GetBytes(tag + " " + command + "\r\n");
        await _socket.SendAsync(line, SocketFlags.None, cancellationToken);
        return await ReadResponseAsync(tag, command, onLine, cancellationToken);
    }

    /// <summary>Sends <c>tag</c> followed by <paramref name="commandAfterTag"/> (which starts with a space, holds any
    /// LITERAL+ literals and ends with CRLF) and reads until the tagged reply. Throws unless it is OK.</summary>
    public async Task<(long Bytes, string Tagged)> CommandBytesAsync(ReadOnlyMemory<byte> commandAfterTag, LineHandler? onLine, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var tag = NextTag();
        try
        {
            await _socket.SendAsync(Encoding.ASCII.GetBytes(tag), SocketFlags.None, timeout.Token);
            await _socket.SendAsync(commandAfterTag, SocketFlags.None, timeout.Token);
            return await ReadResponseAsync(tag, "APPEND", onLine, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"a {commandAfterTag.Length}-byte command got no complete response within {CommandTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Pipelining: sends every command (each after its tag: starts with a space, ends with CRLF, LITERAL+
    /// literals inline) in one write, then reads the tagged replies in order. Throws unless all are OK.</summary>
    public async Task PipelineAsync(IReadOnlyList<byte[]> commandsAfterTag, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var tags = new string[commandsAfterTag.Count];
        var buffer = new MemoryStream();
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = NextTag();
            buffer.Write(Encoding.ASCII.GetBytes(tags[i]));
            buffer.Write(commandsAfterTag[i]);
        }
        try
        {
            // Send and read at once: a server may answer (and stop reading) before the whole batch is sent.
            var send = _socket.SendAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), SocketFlags.None, timeout.Token).AsTask();
            foreach (var tag in tags)
            {
                await ReadResponseAsync(tag, "APPEND", null, timeout.Token);
            }
            await send;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{tags.Length} pipelined commands got no complete response within {CommandTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Sends <c>tag command</c> without waiting; returns the tag (for IDLE: then
    /// <see cref="ReadLineAsync"/> for the continuation, <see cref="SendLineAsync"/> DONE, <see cref="ReadResponseAsync"/>).</summary>
    public async Task<string> SendCommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await SendLineAsync(tag + " " + command, cancellationToken);
        return tag;
    }

    /// <summary>Sends one line (CRLF appended).</summary>
    public async Task SendLineAsync(string line, CancellationToken cancellationToken) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"), SocketFlags.None, cancellationToken);

    private string NextTag() => "B" + (++_tagCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the response stream until the line tagged <paramref name="tag"/>; throws unless it is OK.</summary>
    public async Task<(long Bytes, string Tagged)> ReadResponseAsync(string tag, string command, LineHandler? onLine, CancellationToken cancellationToken)
    {
        var tagPrefix = Encoding.ASCII.GetBytes(tag + " ");
        long bytes = 0;
        var atLineStart = true;
        while (true)
        {
            var crlf = await FillUntilCrLfAsync(cancellationToken);
            var lineLength = crlf - _start + 2;
            bytes += lineLength;
            var span = _buffer.AsSpan(_start, crlf - _start);
            if (atLineStart && span.StartsWith(tagPrefix))
            {
                var tagged = Encoding.UTF8.GetString(span);
                _start = crlf + 2;
                if (!span[tagPrefix.Length..].StartsWith("OK"u8))
                {
                    throw new InvalidOperationException($"'{Shorten(command)}' failed: {tagged}");
                }
                return (bytes, tagged);
            }
            if (atLineStart)
            {
                onLine?.Invoke(span);
            }
            var literal = LiteralLength(span);
            _start = crlf + 2;
            if (literal >= 0)
            {
                bytes += literal;
                await SkipAsync(literal, cancellationToken);
                atLineStart = false;
            }
            else
            {
                atLineStart = true;
            }
        }
    }

    /// <summary>Closes the socket without LOGOUT (the bench's idle connections just drop).</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Shorten(string command) => command.Length <= 60 ? command : command[..60] + "…";

    /// <summary>The literal length announced at the end of a line (<c>{123}</c> or <c>{123+}</c>), or -1.</summary>
    private static long LiteralLength(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3 || line[^1] != (byte)'}')
        {
            return -1;
        }
        var open = line.LastIndexOf((byte)'{');
        if (open < 0)
        {
            return -1;
        }
        var digits = line[(open + 1)..^1];
        if (digits.Length > 0 && digits[^1] == (byte)'+')
        {
            digits = digits[..^1];
        }
        return Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length ? value : -1;
    }

    /// <summary>Reads one response line (without CRLF; a literal it announces is not skipped).</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var crlf = await FillUntilCrLfAsync(cancellationToken);
        var line = Encoding.UTF8.GetString(_buffer, _start, crlf - _start);
        _start = crlf + 2;
        return line;
    }

    /// <summary>Receives until the buffer holds a CRLF at or after <see cref="_start"/>; returns the CR's index.</summary>
    private async Task<int> FillUntilCrLfAsync(CancellationToken cancellationToken)
    {
        var searched = _start;
        while (true)
        {
            var index = _buffer.AsSpan(searched, _end - searched).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                return searched + index;
            }
            searched = Math.Max(_start, _end - 1);
            if (_start == _end)
            {
                _start = 0;
                _end = 0;
                searched = 0;
            }
            else if (_end == _buffer.Length)
            {
                if (_start == 0)
                {
                    throw new InvalidOperationException($"A response line is longer than {_buffer.Length} bytes.");
                }
                var kept = _end - _start;
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, kept);
                searched -= _start;
                _start = 0;
                _end = kept;
            }
            await ReceiveAsync(cancellationToken);
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= count)
            {
                _start += (int)count;
                return;
            }
            count -= available;
            _start = 0;
            _end = 0;
            await ReceiveAsync(cancellationToken);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new IOException("The server closed the connection.");
        }
        _end += received;
    }
}
