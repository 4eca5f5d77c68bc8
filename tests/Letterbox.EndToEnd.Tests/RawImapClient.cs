using System.Net.Sockets;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// A minimal IMAP client over a plain <see cref="TcpClient"/> for transcript tests: writes exact bytes and reads
/// response lines, with literals (<c>{n}</c>) read into the same logical line. Text is decoded as Latin-1 so every
/// byte maps to one char and byte-exact comparisons stay possible. Every read is bounded by a timeout, so a
/// missing response fails the test instead of hanging it.
/// </summary>
public sealed class RawImapClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[65536];
    private int _start;
    private int _end;

    private RawImapClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The greeting line read on connect.</summary>
    public string Greeting { get; private set; } = "";

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<RawImapClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawImapClient(tcp);
        client.Greeting = await client.ReadLineAsync();
        return client;
    }

    /// <summary>Latin-1: one char per byte.</summary>
    public static Encoding Latin1 { get; } = Encoding.Latin1;

    /// <summary>Writes the string's Latin-1 bytes as they are (the caller supplies CRLFs).</summary>
    public Task WriteAsync(string text) => WriteAsync(Latin1.GetBytes(text));

    /// <summary>Writes the bytes as they are, in one send.</summary>
    public async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one logical response line (without the final CRLF); literals are included in full, each
    /// followed by the rest of the line.</summary>
    public async Task<string> ReadLineAsync()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var physical = await ReadPhysicalLineAsync();
            sb.Append(physical);
            var literal = LiteralLength(physical);
            if (literal < 0) return sb.ToString();
            sb.Append("\r\n");
            var data = await ReadExactAsync(literal);
            sb.Append(Latin1.GetString(data));
        }
    }

    /// <summary>Sends <c>tag command CRLF</c> and reads responses through the tagged one.</summary>
    public async Task<Response> CommandAsync(string tag, string command)
    {
        await WriteAsync(tag + " " + command + "\r\n");
        return await ReadResponseAsync(tag);
    }

    /// <summary>Reads lines until the tagged response of <paramref name="tag"/>.</summary>
    public async Task<Response> ReadResponseAsync(string tag)
    {
        var untagged = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return new Response(untagged, line);
            untagged.Add(line);
        }
    }

    /// <summary>Logs in with LOGIN and checks the tagged OK.</summary>
    public async Task LoginAsync(string user, string password)
    {
        var response = await CommandAsync("L0", $"LOGIN {Quote(user)} {Quote(password)}");
        Assert.True(response.IsOk, "LOGIN failed: " + response);
    }

    /// <summary>APPENDs <paramref name="message"/> with a LITERAL+ literal (RFC 7888) and returns the tagged
    /// response; <paramref name="options"/> is inserted before the literal (flags, date-time).</summary>
    public async Task<Response> AppendAsync(string tag, string mailbox, byte[] message, string options = "")
    {
        var head = $"{tag} APPEND {Quote(mailbox)} {(options.Length > 0 ? options + " " : "")}{{{message.Length}+}}\r\n";
        await WriteAsync([.. Latin1.GetBytes(head), .. message, (byte)'\r', (byte)'\n']);
        return await ReadResponseAsync(tag);
    }

    /// <summary>An IMAP quoted string.</summary>
    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether the server has closed the connection (reads return 0) within the timeout.</summary>
    public async Task<bool> IsClosedAsync()
    {
        if (_start < _end) return false;
        using var cts = new CancellationTokenSource(ReadTimeout);
        try
        {
            return await _stream.ReadAsync(_buffer.AsMemory(0, 1), cts.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int LiteralLength(string line)
    {
        if (!line.EndsWith('}')) return -1;
        var open = line.LastIndexOf('{');
        if (open < 0) return -1;
        var digits = line[(open + 1)..^1].TrimEnd('+');
        return int.TryParse(digits, out var n) ? n : -1;
    }

    private async Task<string> ReadPhysicalLineAsync()
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_start == _end) await FillAsync();
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                sb.Append(Latin1.GetString(span));
                _start = _end;
                continue;
            }
            sb.Append(Latin1.GetString(span[..lf]));
            _start += lf + 1;
            var text = sb.ToString();
            if (!text.EndsWith('\r')) throw new InvalidDataException("Response line not terminated by CRLF: " + text);
            return text[..^1];
        }
    }

    private async Task<byte[]> ReadExactAsync(int count)
    {
        var result = new byte[count];
        var done = 0;
        while (done < count)
        {
            if (_start == _end) await FillAsync();
            var n = Math.Min(count - done, _end - _start);
            Array.Copy(_buffer, _start, result, done, n);
            _start += n;
            done += n;
        }
        return result;
    }

    private async Task FillAsync()
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        _start = 0;
        try
        {
            _end = await _stream.ReadAsync(_buffer, cts.Token);
        }
        catch (OperationCanceledException)
        {
            _end = 0;
            throw new TimeoutException("No response from the server within " + ReadTimeout);
        }
        if (_end == 0) throw new EndOfStreamException("Server closed the connection");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The untagged lines and the tagged line of one command.</summary>
    public sealed record Response(IReadOnlyList<string> Untagged, string Tagged)
    {
        /// <summary>Tagged OK.</summary>
        public bool IsOk => Status == "OK";

        /// <summary>OK, NO or BAD.</summary>
        public string Status => Tagged.Split(' ', 3) is { Length: >= 2 } parts ? parts[1] : "";

        /// <inheritdoc />
        public override string ToString() => string.Join("\n", Untagged.Append(Tagged));
    }
}
