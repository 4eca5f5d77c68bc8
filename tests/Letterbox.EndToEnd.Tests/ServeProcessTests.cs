using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary><c>letterbox serve</c> as a real process: SIGHUP reloads the TLS certificate (RFC 8314 §5) from the files
/// named in the configuration file (DATA/letterbox.json), and an invalid configuration file stops the start with a
/// one-line error and exit status 2.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-serve-" + Guid.NewGuid().ToString("N"));

    public ServeProcessTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Sighup_makes_new_connections_use_the_replaced_certificate()
    {
        using var first = TestPki.Create("Sighup CA one");
        using var second = TestPki.Create("Sighup CA two");
        var certificatePath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        WritePair(first, certificatePath, keyPath);
        var data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        // Watching off, so only the signal can cause the reload.
        File.WriteAllText(Path.Combine(data, "letterbox.json"), $$"""
            { "tls": { "certificate": "{{certificatePath}}", "key": "{{keyPath}}", "watch": false } }
            """);
        var (port, tlsPort) = (CliProcess.FreePort(), CliProcess.FreePort());
        string[] serve = ["dotnet", CliProcess.LocateCli(), "serve", "--data", data, "--imap", $"127.0.0.1:{port}", "--imaps", $"127.0.0.1:{tlsPort}"];
        // A process started with SIGHUP ignored (under nohup) passes that on, and .NET then leaves SIGHUP ignored:
        // start the server with the default disposition back, as an init system would.
        using var server = SighupIgnored()
            ? CliProcess.Start("python3", ["-c", "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. serve])
            : CliProcess.Start(serve[0], serve[1..]);
        var output = new StringBuilder();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fingerprint = Letterbox.Server.TlsCertificates.Sha256Fingerprint(second.ServerCertificate);
        DataReceivedEventHandler collect = (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data is { } line && line.Contains("Reloaded the TLS certificate", StringComparison.Ordinal) && line.Contains(fingerprint, StringComparison.Ordinal))
            {
                reloaded.TrySetResult();
            }
        };
        server.OutputDataReceived += collect;
        server.ErrorDataReceived += collect;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await CliProcess.WaitForPortAsync(port, server, output);
            await using (var before = await TlsLineClient.ConnectAsync(tlsPort, first))
            {
                Assert.StartsWith("* OK", before.Greeting, StringComparison.Ordinal);
            }

            WritePair(second, certificatePath, keyPath);
            using (var kill = Process.Start("kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }
            if (await Task.WhenAny(reloaded.Task, Task.Delay(CliProcess.StepTimeout)) != reloaded.Task)
            {
                lock (output) Assert.Fail($"no reload logged after SIGHUP; server output:\n{output}");
            }
            Assert.False(server.HasExited);

            await using var after = await TlsLineClient.ConnectAsync(tlsPort, second);
            using var remote = X509CertificateLoader.LoadCertificate(after.Tls!.RemoteCertificate!.GetRawCertData());
            Assert.Equal(second.ServerCertificate.Thumbprint, remote.Thumbprint);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task An_invalid_configuration_file_stops_the_start_with_one_line_and_status_2()
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, """{ "maxConnection": 10 }""");
        var (exitCode, output) = await CliProcess.RunAsync("dotnet", [CliProcess.LocateCli(), "serve", "--data", Path.Combine(_directory, "data"), "--config", path]);
        Assert.Equal(2, exitCode);
        Assert.Contains($"Configuration file {path}: unknown key 'maxConnection'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
    }

    /// <summary>Messages without sort keys (after schema migration 5) and without search text (after migration 7, or
    /// a store from before the index) are caught up by the server in the background at start, and the index is
    /// marked complete.</summary>
    [Fact]
    public async Task Serve_computes_missing_sort_keys_and_search_text_in_the_background()
    {
        var data = Path.Combine(_directory, "data");
        await using (var store = await Letterbox.Storage.Sqlite.SqliteMailStore.OpenAsync(data))
        {
            var user = await store.AddUserAsync("indexed@example.com", "unused-hash");
            var inbox = (await store.GetMailboxAsync(user.Id, "INBOX"))!;
            var requests = new List<Letterbox.Mail.Messages.AppendRequest>();
            for (var i = 0; i < 3; i++)
            {
                await using var stager = await store.StageAsync(1 << 20);
                await stager.WriteAsync(Encoding.ASCII.GetBytes($"From: a@example.com\r\nSubject: s{i}\r\n\r\nbody {i}\r\n"));
                requests.Add(new Letterbox.Mail.Messages.AppendRequest(await stager.CompleteAsync(), Letterbox.Mail.Messages.MessageFlags.None, [], null));
            }
            await store.AppendAsync(inbox.Id, requests);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(0L, await ScalarAsync(data, "DELETE FROM search_text; DELETE FROM sort_keys; DELETE FROM store_state WHERE key = 'search_index_complete'; SELECT count(*) FROM search_text"));

        var port = CliProcess.FreePort();
        using var server = CliProcess.Start("dotnet", [CliProcess.LocateCli(), "serve", "--data", data, "--imap", $"127.0.0.1:{port}", "--imaps", $"127.0.0.1:{CliProcess.FreePort()}"]);
        var output = new StringBuilder();
        var indexed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler collect = (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data is { } line && line.Contains("Search index complete: 3 messages indexed", StringComparison.Ordinal)) indexed.TrySetResult();
        };
        server.OutputDataReceived += collect;
        server.ErrorDataReceived += collect;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            if (await Task.WhenAny(indexed.Task, Task.Delay(CliProcess.StepTimeout)) != indexed.Task)
            {
                lock (output) Assert.Fail($"no 'Search index complete' logged; server output:\n{output}");
            }
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        lock (output) Assert.Contains("Sort keys complete: 3 messages", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(3L, await ScalarAsync(data, "SELECT count(*) FROM sort_keys"));
        Assert.Equal(3L, await ScalarAsync(data, "SELECT count(*) FROM search_text WHERE headers IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync(data, "SELECT value FROM store_state WHERE key = 'search_index_complete'"));
    }

    private static async Task<long> ScalarAsync(string data, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "letterbox.db")};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), as under nohup.</summary>
    private static bool SighupIgnored()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 1) != 0;
            }
        }
        return false;
    }

    /// <summary>Writes the pair as a deploy script would: each file to a temporary name, then renamed into place.</summary>
    private static void WritePair(TestPki pki, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath + ".tmp", pki.ServerCertificate.ExportCertificatePem());
        File.WriteAllText(keyPath + ".tmp", pki.ServerCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.Move(certificatePath + ".tmp", certificatePath, overwrite: true);
        File.Move(keyPath + ".tmp", keyPath, overwrite: true);
    }
}
