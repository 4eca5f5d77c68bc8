using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>A second, independent client (Python's imaplib) against <c>letterbox serve</c> running as a real
/// process, set up with <c>letterbox user add --password-stdin</c>.</summary>
public sealed class ImaplibProcessTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    /// <summary>RFC 9051 §6 (LOGIN, LIST, SELECT, APPEND, FETCH, STORE, EXPUNGE, LOGOUT) as driven by Python's
    /// imaplib (RFC 3501 dialect); tests/e2e/imaplib_session.py checks every answer.</summary>
    [Fact]
    public async Task Python_imaplib_session_against_cli_server()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "letterbox-cli-" + Guid.NewGuid().ToString("N"));
        var cli = LocateCli();
        var script = Path.Combine(Corpus.RepositoryRoot, "tests", "e2e", "imaplib_session.py");
        Assert.True(File.Exists(script), "missing " + script);
        try
        {
            var add = await RunAsync("dotnet", [cli, "user", "add", "py@example.com", "--password-stdin", "--data", dataDir], stdin: "s3cret-py\n");
            Assert.True(add.ExitCode == 0, $"letterbox user add failed ({add.ExitCode}):\n{add.Output}");

            var port = FreePort();
            using var server = Start("dotnet", [cli, "serve", "--data", dataDir, "--imap", $"127.0.0.1:{port}"]);
            var serverOutput = new StringBuilder();
            server.OutputDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
            server.ErrorDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            try
            {
                await WaitForPortAsync(port, server, serverOutput);
                var session = await RunAsync("python3", [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "py@example.com", "s3cret-py"]);
                string log;
                lock (serverOutput) log = serverOutput.ToString();
                Assert.True(session.ExitCode == 0, $"imaplib session failed ({session.ExitCode}):\n{session.Output}\n--- server output ---\n{log}");
            }
            finally
            {
                if (!server.HasExited) server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>letterbox.dll: next to this test assembly (the project references src/Letterbox), else the CLI's own
    /// build output.</summary>
    private static string LocateCli()
    {
        var next = Path.Combine(AppContext.BaseDirectory, "letterbox.dll");
        if (File.Exists(next) && File.Exists(Path.Combine(AppContext.BaseDirectory, "letterbox.runtimeconfig.json"))) return next;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var own = Path.Combine(Corpus.RepositoryRoot, "src", "Letterbox", "bin", configuration, "net10.0", "letterbox.dll");
        Assert.True(File.Exists(own), $"letterbox.dll not found next to the tests ({next}) nor at {own}");
        return own;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the server accepts a connection and sends its greeting; fails at once if the process
    /// exits. Each attempt waits for the connect to succeed or be refused; between refused attempts a short pause
    /// keeps the loop from spinning on a 2-core machine.</summary>
    private static async Task WaitForPortAsync(int port, Process server, StringBuilder output)
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

    private static Process Start(string file, IEnumerable<string> args, bool redirectInput = false)
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string? stdin = null)
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
