using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Letterbox.Bench;

/// <summary>
/// <c>letterbox serve</c> as a separate process on a free loopback port, so the benchmark measures a real server
/// (its own GC, its own resident memory) over a real socket. Reads its resident set size from <c>/proc</c>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Id => _process.Id;

    /// <summary>Finds <c>letterbox.dll</c>: the given path, else next to this program (the bench references the
    /// CLI project, so building the bench builds and copies it).</summary>
    public static string Locate(string? explicitPath)
    {
        var path = explicitPath ?? Path.Combine(AppContext.BaseDirectory, "letterbox.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Cannot find '{path}'. Build first: dotnet build -c Release bench/Letterbox.Bench (or pass --letterbox PATH/letterbox.dll).");
        }
        return path;
    }

    /// <summary>Starts <c>dotnet letterbox.dll serve --data DIR --imap 127.0.0.1:PORT</c> (and with <paramref name="tls"/>
    /// <c>--imaps 127.0.0.1:TLSPORT --tls-cert CERT --tls-key KEY</c>) and waits (at most 60 s) until the port accepts
    /// connections.</summary>
    public static async Task<ServerProcess> StartAsync(string letterboxDll, string dataDirectory, CancellationToken cancellationToken, (int Port, string Certificate, string Key)? tls = null)
    {
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(letterboxDll);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(Path.GetFullPath(dataDirectory));
        info.ArgumentList.Add("--imap");
        info.ArgumentList.Add("127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        // The workloads hold up to 20,000 connections, most of one user from one address (idle: 10,000 + notifier).
        if (tls is { } t)
        {
            foreach (var argument in new[] { "--imaps", "127.0.0.1:" + t.Port.ToString(CultureInfo.InvariantCulture), "--tls-cert", t.Certificate, "--tls-key", t.Key })
            {
                info.ArgumentList.Add(argument);
            }
        }
        info.ArgumentList.Add("--max-connections");
        info.ArgumentList.Add("25000");
        info.ArgumentList.Add("--max-user-connections");
        info.ArgumentList.Add("0");
        var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start dotnet.");
        var server = new ServerProcess(process, new IPEndPoint(IPAddress.Loopback, port));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"letterbox serve exited with code {process.ExitCode}:\n{server.LastOutput()}");
            }
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(server.EndPoint, cancellationToken);
                return server;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // Not listening yet: the process is still starting (JIT, opening the store).
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new TimeoutException("letterbox serve did not listen within 60 s:\n" + server.LastOutput());
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Resident set size (VmRSS) of the server process, in KiB.</summary>
    public long ResidentKiB() => ReadResidentKiB(_process.Id);

    public static long ReadResidentKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var digits = line.AsSpan(6).Trim();
                var space = digits.IndexOf(' ');
                return long.Parse(space < 0 ? digits : digits[..space], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }

    /// <summary>Waits until the resident set stops changing (the last 5 readings, 250 ms apart, within 256 KiB of
    /// each other), at most <paramref name="bound"/>. Returns the last reading and whether it settled.</summary>
    public static async Task<(long KiB, bool Settled)> SettleAsync(int pid, TimeSpan bound, CancellationToken cancellationToken)
    {
        var window = new Queue<long>();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var rss = ReadResidentKiB(pid);
            window.Enqueue(rss);
            if (window.Count > 5)
            {
                window.Dequeue();
            }
            if (window.Count == 5)
            {
                long min = long.MaxValue, max = long.MinValue;
                foreach (var value in window)
                {
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                }
                if (max - min <= 256)
                {
                    return (rss, true);
                }
            }
            if (stopwatch.Elapsed >= bound)
            {
                return (rss, false);
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    public string LastOutput()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    /// <summary>Stops the server with SIGTERM (graceful shutdown), killing it after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = NativeMethods.kill(_process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    public static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // a blittable signature; DllImport avoids requiring unsafe code
        [DllImport("libc", SetLastError = true)]
        internal static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
    }
}
