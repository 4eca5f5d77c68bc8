using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Running the <c>letterbox</c> CLI (letterbox.dll) as a real process: locating it, a free port, starting
/// it, waiting until it listens, and running a command to completion with a timeout.</summary>
internal static class CliProcess
{
    /// <summary>The longest any one step (a command, a start) may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    /// <summary>letterbox.dll: next to this test assembly (the project references src/Letterbox), else the CLI's own
    /// build output.</summary>
    public static string LocateCli()
    {
        var next = Path.Combine(AppContext.BaseDirectory, "letterbox.dll");
        if (File.Exists(next) && File.Exists(Path.Combine(AppContext.BaseDirectory, "letterbox.runtimeconfig.json"))) return next;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var own = Path.Combine(Corpus.RepositoryRoot, "src", "Letterbox", "bin", configuration, "net10.0", "letterbox.dll");
        Assert.True(File.Exists(own), $"letterbox.dll not found next to the tests ({next}) nor at {own}");
        return own;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the server accepts a connection and sends its greeting; fails at once if the process
    /// exits. Each attempt waits for the connect to succeed or be refused; between refused attempts a short pause
    /// keeps the loop from spinning on a 2-core machine.</summary>
    public static async Task WaitForPortAsync(int port, Process server, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            if (server.HasExited)
            {
                lock (output) Assert.Fail($"letterbox serve exited with {server.ExitCode} before listening:\n{output}");
            }
            try
            {
                await using var raw = await RawImapClient.ConnectAsync(port);
                Assert.StartsWith("* OK", raw.Greeting, StringComparison.Ordinal);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.WhenAny(server.WaitForExitAsync(), Task.Delay(100));
            }
        }
    }

    public static Process Start(string file, IEnumerable<string> args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start " + file);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string? stdin = null)
    {
        using var process = Start(file, args, redirectInput: stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {StepTimeout}\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
