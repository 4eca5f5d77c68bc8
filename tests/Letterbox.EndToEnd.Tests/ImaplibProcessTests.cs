using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>A second, independent client (Python's imaplib) against <c>letterbox serve</c> running as a real
/// process, set up with <c>letterbox user add --password-stdin</c>.</summary>
public sealed class ImaplibProcessTests
{
    /// <summary>RFC 9051 §6 (LOGIN, LIST, SELECT, APPEND, FETCH, STORE, EXPUNGE, LOGOUT) as driven by Python's
    /// imaplib (RFC 3501 dialect); tests/e2e/imaplib_session.py checks every answer.</summary>
    [Fact]
    public async Task Python_imaplib_session_against_cli_server()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "letterbox-cli-" + Guid.NewGuid().ToString("N"));
        var cli = CliProcess.LocateCli();
        var script = Path.Combine(Corpus.RepositoryRoot, "tests", "e2e", "imaplib_session.py");
        Assert.True(File.Exists(script), "missing " + script);
        try
        {
            var add = await CliProcess.RunAsync("dotnet", [cli, "user", "add", "py@example.com", "--password-stdin", "--data", dataDir], stdin: "s3cret-py\n");
            Assert.True(add.ExitCode == 0, $"letterbox user add failed ({add.ExitCode}):\n{add.Output}");

            var port = CliProcess.FreePort();
            using var server = CliProcess.Start("dotnet", [cli, "serve", "--data", dataDir, "--imap", $"127.0.0.1:{port}"]);
            var serverOutput = new StringBuilder();
            server.OutputDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
            server.ErrorDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            try
            {
                await CliProcess.WaitForPortAsync(port, server, serverOutput);
                var session = await CliProcess.RunAsync("python3", [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "py@example.com", "s3cret-py"]);
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
}
