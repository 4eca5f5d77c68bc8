using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace Letterbox.Bench.Compare;

/// <summary>
/// <c>tls</c>: (a) full TLS handshakes per second with the server pinned to one core (<c>taskset -a -p -c 1</c> on its
/// process tree; Dovecot's master passes it on to the login processes it forks) and this client on the other (TLS 1.3
/// and TLS 1.2 separately; each handshake: connect, handshake without session resumption, read the greeting, LOGOUT,
/// close); (b) server memory per idle logged-in connection over implicit TLS and over cleartext
/// (<c>--tls-connections</c> each, Pss of the process tree, settled before and after). Both servers use the same ECDSA
/// P-256 certificate (<c>--tls-cert</c>, made by bench/run), checked by its SHA-256 on every handshake.
/// </summary>
internal sealed class TlsWorkload(CompareOptions options, CompareReport report, Func<Target, Task> warmRestart)
{
    public static readonly string[] Rows = ["tls-handshakes-1.3", "tls-handshakes-1.2", "tls-idle-memory", "plain-idle-memory", "tls-extra-memory"];

    public static void Declare(CompareReport report)
    {
        report.Declare("tls-handshakes-1.3", "hs/s", true);
        report.Declare("tls-handshakes-1.2", "hs/s", true);
        report.Declare("tls-idle-memory", "KiB/conn", false);
        report.Declare("plain-idle-memory", "KiB/conn", false);
        report.Declare("tls-extra-memory", "KiB/conn", false);
    }

    public async Task RunAsync(Target target, byte[] certificateHash, CancellationToken cancellationToken)
    {
        if (target.TlsEndPoint is not IPEndPoint tlsEndPoint)
        {
            foreach (var row in Rows)
            {
                report.Add(row, "-", true, target.Name, null, null, $"{target.Name}: no implicit TLS listener given");
            }
            return;
        }
        foreach (var (row, protocol) in new[] { ("tls-handshakes-1.3", SslProtocols.Tls13), ("tls-handshakes-1.2", SslProtocols.Tls12) })
        {
            await HandshakesAsync(target, tlsEndPoint, row, protocol, certificateHash, cancellationToken);
        }
        if (target.Pid is null)
        {
            report.Add("tls-idle-memory", "KiB/conn", false, target.Name, null, null, "no pid: memory not measured");
            return;
        }
        var plain = await IdleMemoryAsync(target, null, certificateHash, cancellationToken);
        var tls = await IdleMemoryAsync(target, tlsEndPoint, certificateHash, cancellationToken);
        report.Add("plain-idle-memory", "KiB/conn", false, target.Name, plain.PerConnection, null, plain.Note);
        report.Add("tls-idle-memory", "KiB/conn", false, target.Name, tls.PerConnection, null, tls.Note);
        report.Add("tls-extra-memory", "KiB/conn", false, target.Name, tls.PerConnection - plain.PerConnection, null, "tls-idle-memory − plain-idle-memory");
    }

    private async Task HandshakesAsync(Target target, IPEndPoint endPoint, string row, SslProtocols protocol, byte[] certificateHash, CancellationToken cancellationToken)
    {
        var pinned = Pin(target);
        try
        {
            // Warm up (JIT on both sides, Dovecot's login process pool) outside the measurement.
            for (var i = 0; i < 20; i++)
            {
                await HandshakeAsync(endPoint, protocol, certificateHash, cancellationToken);
            }
            long handshakes = 0;
            var cpuBefore = target.CpuSeconds();
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.TlsWorkers).Select(_ => Task.Run(async () =>
            {
                while (stopwatch.Elapsed < options.Duration)
                {
                    await HandshakeAsync(endPoint, protocol, certificateHash, cancellationToken);
                    Interlocked.Increment(ref handshakes);
                }
            }, cancellationToken)));
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var cpu = target.CpuSeconds() is double after && cpuBefore is double before && handshakes > 0 ? (after - before) / handshakes * 1000 : (double?)null;
            report.Add(row, "hs/s", true, target.Name, handshakes / seconds, cpu, string.Create(CultureInfo.InvariantCulture,
                $"{handshakes} full handshakes (no resumption) + greeting + LOGOUT by {options.TlsWorkers} clients in {seconds:0.0} s; {(pinned ? "server on core 1, client on core 0" : "NOT pinned (fewer than 2 cores or no taskset)")} (cpu per 1k handshakes)"));
        }
        finally
        {
            if (pinned)
            {
                Unpin(target);
            }
        }
    }

    /// <summary>One new connection: TCP connect, TLS handshake (the certificate must hash to
    /// <paramref name="certificateHash"/>), greeting, LOGOUT, close.</summary>
    private static async Task HandshakeAsync(IPEndPoint endPoint, SslProtocols protocol, byte[] certificateHash, CancellationToken cancellationToken)
    {
        await using var connection = await TlsConnection.OpenAsync(endPoint, protocol, certificateHash, cancellationToken);
        await connection.CommandAsync("a LOGOUT", cancellationToken);
    }

    private async Task<(double? PerConnection, string Note)> IdleMemoryAsync(Target target, IPEndPoint? tlsEndPoint, byte[] certificateHash, CancellationToken cancellationToken)
    {
        await warmRestart(target);
        var pid = target.Pid!.Value;
        var (user, pass, _) = target.Account("conn");
        var login = Target.Login(user, pass);
        var count = options.TlsConnections;
        var connections = new IAsyncDisposable?[count];
        try
        {
            var before = await ProcStats.SettledMemoryKiBAsync(pid, TimeSpan.FromSeconds(10), cancellationToken);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    if (tlsEndPoint is null)
                    {
                        var client = await RawImapClient.ConnectAsync(target.EndPoint, cancellationToken, bufferSize: 4096);
                        connections[index] = client;
                        await client.CommandAsync(login, cancellationToken);
                    }
                    else
                    {
                        var client = await TlsConnection.OpenAsync(tlsEndPoint, SslProtocols.Tls13, certificateHash, cancellationToken);
                        connections[index] = client;
                        await client.CommandAsync("a " + login, cancellationToken);
                    }
                }
            }, cancellationToken)));
            var after = await ProcStats.SettledMemoryKiBAsync(pid, TimeSpan.FromSeconds(20), cancellationToken);
            return ((after - before) / (double)count, string.Create(CultureInfo.InvariantCulture,
                $"{before / 1024.0:0} -> {after / 1024.0:0} MiB (Pss) for {count} logged-in {(tlsEndPoint is null ? "cleartext" : "TLS 1.3")} connections"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Pins the server's process tree to core 1 and this process to core 0; false when that is not possible.</summary>
    private static bool Pin(Target target)
    {
        if (Environment.ProcessorCount < 2 || target.Pid is not int pid)
        {
            return false;
        }
        var ok = true;
        foreach (var p in ProcStats.Tree(pid))
        {
            ok &= TaskSet("1", p);
        }
        return ok && TaskSet("0", Environment.ProcessId);
    }

    private static void Unpin(Target target)
    {
        var all = "0-" + (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);
        if (target.Pid is int pid)
        {
            foreach (var p in ProcStats.Tree(pid))
            {
                TaskSet(all, p);
            }
        }
        TaskSet(all, Environment.ProcessId);
    }

    /// <summary><c>taskset -a -p -c CPUS PID</c>: every thread of the process.</summary>
    private static bool TaskSet(string cpus, int pid)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, pid.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>An implicit TLS IMAP connection that reads whole lines (no literals: greeting, LOGIN, LOGOUT only).</summary>
    private sealed class TlsConnection : IAsyncDisposable
    {
        private readonly SslStream _tls;
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        private TlsConnection(SslStream tls) => _tls = tls;

        public static async Task<TlsConnection> OpenAsync(IPEndPoint endPoint, SslProtocols protocol, byte[] certificateHash, CancellationToken cancellationToken)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            SslStream? tls = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RawImapClient.CommandTimeout);
                await socket.ConnectAsync(endPoint, timeout.Token);
                tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = protocol,
                    AllowTlsResume = false, // every handshake a full one
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        certificate is not null && SHA256.HashData(certificate.GetRawCertData()).AsSpan().SequenceEqual(certificateHash),
                }, timeout.Token);
                var connection = new TlsConnection(tls);
                var greeting = await connection.ReadLineAsync(timeout.Token);
                if (!greeting.StartsWith("* OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("Unexpected greeting over TLS: " + greeting);
                }
                return connection;
            }
            catch
            {
                if (tls is not null)
                {
                    await tls.DisposeAsync();
                }
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Sends <c>TAG command</c> (the tag is the first word) and reads until the tagged reply; throws unless
        /// it is OK (LOGOUT's BYE comes first and is skipped).</summary>
        public async Task CommandAsync(string taggedCommand, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RawImapClient.CommandTimeout);
            var tag = taggedCommand[..(taggedCommand.IndexOf(' ') + 1)];
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(taggedCommand + "\r\n"), timeout.Token);
            while (true)
            {
                var line = await ReadLineAsync(timeout.Token);
                if (line.StartsWith(tag, StringComparison.Ordinal))
                {
                    if (!line.AsSpan(tag.Length).StartsWith("OK", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("Command failed over TLS: " + line);
                    }
                    return;
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                    _start = newline + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length)
                {
                    throw new InvalidOperationException("Response line longer than 4 KiB over TLS.");
                }
                var read = await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("Connection closed by the server.");
                }
                _end += read;
            }
        }

        public async ValueTask DisposeAsync() => await _tls.DisposeAsync();
    }
}
