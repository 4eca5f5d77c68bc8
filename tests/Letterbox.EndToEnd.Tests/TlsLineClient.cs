using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// A raw IMAP client that can switch to TLS mid-connection (STARTTLS) or start with it (implicit TLS): writes exact
/// bytes, reads single lines one byte at a time (so nothing after a line is consumed before the TLS handshake).
/// Every read has a timeout, so a missing answer fails the test instead of hanging it.
/// </summary>
public sealed class TlsLineClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private Stream _stream;

    private TlsLineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The greeting.</summary>
    public string Greeting { get; private set; } = "";

    /// <summary>The TLS stream once negotiated.</summary>
    public SslStream? Tls { get; private set; }

    /// <summary>Connects; with <paramref name="implicitTls"/> negotiates TLS first. Reads the greeting.</summary>
    public static async Task<TlsLineClient> ConnectAsync(int port, TestPki? implicitTls = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new TlsLineClient(tcp);
        if (implicitTls is not null)
        {
            await client.NegotiateTlsAsync(implicitTls);
        }
        client.Greeting = await client.ReadLineAsync();
        return client;
    }

    /// <summary>Client side of the TLS handshake (TLS 1.2/1.3) for host "localhost", validated by
    /// <paramref name="pki"/>.</summary>
    public async Task NegotiateTlsAsync(TestPki pki)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(ReadTimeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = pki.Validate,
        }, timeout.Token);
        Tls = tls;
        _stream = tls;
    }

    /// <summary>Writes the text's ASCII bytes in one write (the caller supplies CRLFs).</summary>
    public async Task WriteAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one line without CRLF; throws at end of stream.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new EndOfStreamException("Connection closed; partial line: " + Encoding.ASCII.GetString(bytes.ToArray()));
            }
            if (one[0] == (byte)'\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }
            bytes.Add(one[0]);
        }
    }

    /// <summary>Reads lines through the one starting with "<paramref name="tag"/> ".</summary>
    public async Task<List<string>> ReadUntilTaggedAsync(string tag)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    /// <summary>Sends <c>tag command CRLF</c> and reads through its tagged reply.</summary>
    public async Task<List<string>> CommandAsync(string tag, string command)
    {
        await WriteAsync(tag + " " + command + "\r\n");
        return await ReadUntilTaggedAsync(tag);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
