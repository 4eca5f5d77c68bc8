using System.Globalization;
using Letterbox.Mail.Users;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Bench.Compare;

/// <summary>
/// <c>compare</c>: starts <c>letterbox serve</c> (Release build, temp data dir, the bench accounts), fills the same
/// mailboxes on it and on the other server (<c>--against</c>: Dovecot started by bench/run, or any loopback IMAP
/// server) through APPEND, runs the workloads alternating the servers over the repetitions, and prints the table.
/// </summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(CompareOptions options, CancellationToken cancellationToken)
    {
        if (options.ListUsers)
        {
            foreach (var name in options.AccountNames())
            {
                Console.WriteLine(name + "@bench.test");
            }
            return 0;
        }
        var corpusDirectory = Corpus.Locate(options.CorpusDirectory);
        var corpus = await Corpus.LoadAsync(corpusDirectory, cancellationToken);
        Console.WriteLine($"corpus: {corpus.Count} messages from {corpusDirectory}");

        var temporary = options.LetterboxData is null;
        var data = options.LetterboxData ?? Path.Combine(Path.GetTempPath(), "letterbox-compare-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        ServerProcess? server = null;
        try
        {
            await using (var store = await SqliteMailStore.OpenAsync(data, cancellationToken: cancellationToken))
            {
                foreach (var name in options.AccountNames())
                {
                    var user = name + "@bench.test";
                    if (await store.FindUserAsync(user, cancellationToken) is null)
                    {
                        await store.AddUserAsync(user, PasswordHasher.Hash(options.Password, GenerateWorkload.BenchPasswordIterations), cancellationToken);
                    }
                }
            }
            var (certificatePath, keyPath) = BenchCertificate(options, data);
            var certificateHash = System.Security.Cryptography.SHA256.HashData(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath)).RawData);
            (int, string, string) tls = (ServerProcess.FreeLoopbackPort(), certificatePath, keyPath);
            server = await ServerProcess.StartAsync(ServerProcess.Locate(options.LetterboxPath), data, cancellationToken, tls);
            Console.WriteLine($"letterbox: pid {server.Id} on {server.EndPoint}, data {data}");
            Console.WriteLine($"letterbox: implicit TLS on 127.0.0.1:{tls.Item1}, certificate {certificatePath}");
            var letterbox = new Target("letterbox", server.EndPoint, server.Id, null, options.Password, async () =>
            {
                await server.DisposeAsync();
                server = null;
                server = await ServerProcess.StartAsync(ServerProcess.Locate(options.LetterboxPath), data, cancellationToken, tls);
                Console.WriteLine($"  letterbox restarted for a memory measurement: pid {server.Id} on {server.EndPoint}");
                return (server.EndPoint, server.Id);
            })
            { TlsEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, tls.Item1) };
            var targets = new List<Target> { letterbox };
            if (options.Against is not null)
            {
                targets.Add(new Target(options.AgainstName, options.Against, options.AgainstPid, options.AgainstUser, options.Password) { TlsEndPoint = options.AgainstTls });
                Console.WriteLine($"{options.AgainstName}: {options.Against}{(options.AgainstPid is int p ? $", pid {p} and its children" : ", pid unknown (no CPU/memory figures)")}");
            }
            var report = new CompareReport("letterbox", targets.Count > 1 ? targets[1].Name : "other");
            var workloads = new Workloads(options, report);
            var tlsWorkload = new TlsWorkload(options, report, t => Workloads.WarmRestartAsync(t, cancellationToken));
            DeclareRows(options, report);

            foreach (var target in targets)
            {
                await target.LearnCapabilitiesAsync("conn", cancellationToken);
                Console.WriteLine($"{target.Name}: {string.Join(' ', target.Capabilities.Order(StringComparer.Ordinal))}");
                await FillAsync(options, target, corpus, report, cancellationToken);
            }

            for (var rep = 0; rep < options.Repeat; rep++)
            {
                Console.WriteLine($"repetition {rep + 1}/{options.Repeat}, load average {CompareReport.LoadAverage()}");
                var r = rep;
                if (options.Only.Contains("connections"))
                {
                    await Each(targets, report, "connections-login-logout", t => workloads.ConnectionsAsync(t, cancellationToken), cancellationToken);
                }
                if (options.Only.Contains("mixed"))
                {
                    foreach (var clients in options.Clients)
                    {
                        await Each(targets, report, $"mixed-{clients}", t => workloads.MixedAsync(t, clients, cancellationToken), cancellationToken);
                    }
                }
                if (options.Only.Contains("sync"))
                {
                    await Each(targets, report, "sync-full", t => workloads.SyncAsync(t, r, cancellationToken), cancellationToken);
                }
                if (options.Only.Contains("big"))
                {
                    await Each(targets, report, "big-select", t => workloads.BigAsync(t, cancellationToken), cancellationToken);
                }
                if (options.Only.Contains("queries"))
                {
                    await Each(targets, report, "query-" + options.Queries[0].Name, t => workloads.QueriesAsync(t, cancellationToken), cancellationToken);
                }
                if (options.Only.Contains("append"))
                {
                    foreach (var size in options.AppendSizes)
                    {
                        foreach (var sessions in options.AppendSessions)
                        {
                            await Each(targets, report, AppendRow(size, sessions), t => workloads.AppendAsync(t, size, sessions, cancellationToken), cancellationToken);
                        }
                    }
                }
                if (options.Only.Contains("tls"))
                {
                    await Each(targets, report, "tls-handshakes-1.3", t => tlsWorkload.RunAsync(t, certificateHash, cancellationToken), cancellationToken);
                }
                if (options.Only.Contains("idle"))
                {
                    await Each(targets, report, "idle-notify-p50", t => workloads.IdleAsync(t, cancellationToken), cancellationToken);
                }
            }

            Console.WriteLine();
            Console.WriteLine(Report.Machine());
            Console.WriteLine("durability: letterbox fsyncs each message file and commits SQLite with synchronous=FULL before every APPEND's OK; " +
                $"{report.Other}: its own configuration (Dovecot as started by bench/run: default fsync_mode/mail_fsync = optimized)");
            report.Print(Console.Out);
            var json = options.JsonPath ?? Path.Combine(ResultsDirectory(), $"compare-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
            report.WriteJson(json, new Dictionary<string, string>
            {
                ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
                ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?",
                ["utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            });
            Console.WriteLine($"json: {json}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            if (server is not null)
            {
                Console.Error.WriteLine("last letterbox output:\n" + server.LastOutput());
            }
            return 1;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            if (temporary)
            {
                try
                {
                    Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static string AppendRow(int size, int sessions) =>
        $"append-{(size % 1024 == 0 ? (size / 1024).ToString(CultureInfo.InvariantCulture) + "k" : size.ToString(CultureInfo.InvariantCulture))}-{sessions}";

    /// <summary>Every row the selected workloads produce, in table order (so a failed one shows as n/a).</summary>
    private static void DeclareRows(CompareOptions options, CompareReport report)
    {
        if (options.Only.Contains("mixed") || options.Only.Contains("sync") || options.Only.Contains("big") || options.Only.Contains("queries"))
        {
            report.Declare("load-append", "msg/s", true);
        }
        if (options.Only.Contains("mixed"))
        {
            foreach (var c in options.Clients)
            {
                report.Declare($"mixed-{c}", "cmd/s", true);
                report.Declare($"mixed-{c}-p50", "ms", false);
                report.Declare($"mixed-{c}-p99", "ms", false);
            }
        }
        if (options.Only.Contains("sync"))
        {
            report.Declare("sync-full", "ms", false);
            report.Declare("sync-condstore", "ms", false);
        }
        if (options.Only.Contains("big"))
        {
            foreach (var row in new[] { "big-select", "big-fetch-uid-flags", "big-search-unseen", "big-search-subject", "big-sort-date" })
            {
                report.Declare(row, "ms", false);
            }
        }
        if (options.Only.Contains("queries"))
        {
            foreach (var query in options.Queries)
            {
                report.Declare("query-" + query.Name, "ms", false);
            }
        }
        if (options.Only.Contains("append"))
        {
            foreach (var size in options.AppendSizes)
            {
                foreach (var sessions in options.AppendSessions)
                {
                    report.Declare(AppendRow(size, sessions), "msg/s", true);
                }
            }
        }
        if (options.Only.Contains("idle"))
        {
            report.Declare("idle-memory", "KiB/sess", false);
            report.Declare("idle-cpu", "% cpu", false);
            report.Declare("idle-notify-p50", "ms", false);
            report.Declare("idle-notify-p99", "ms", false);
            report.Declare("idle-notify-max", "ms", false);
        }
        if (options.Only.Contains("tls"))
        {
            TlsWorkload.Declare(report);
        }
        if (options.Only.Contains("connections"))
        {
            report.Declare("connections-login-logout", "logins/s", true);
            report.Declare("connections-memory", "KiB/conn", false);
        }
    }

    /// <summary>Runs one workload on each server in turn; a failure is reported (n/a with the error) and the run goes on.</summary>
    private static async Task Each(List<Target> targets, CompareReport report, string row, Func<Target, Task> run, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            try
            {
                await run(target);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is InvalidOperationException or IOException or TimeoutException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                Console.WriteLine($"  {target.Name}: {row} failed: {e.Message}");
                report.Add(row, "-", true, target.Name, null, null, $"{target.Name} failed: {e.Message}");
            }
        }
    }

    private static async Task FillAsync(CompareOptions options, Target target, List<byte[]> corpus, CompareReport report, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Account, int Count)>();
        if (options.Only.Contains("mixed"))
        {
            for (var i = 0; i < options.MixedUsers; i++)
            {
                wanted.Add((CompareOptions.Mixed(i), options.MixedMessages));
            }
        }
        if (options.Only.Contains("sync"))
        {
            wanted.Add(("sync", options.SyncMessages));
        }
        if (options.Only.Contains("big") || options.Only.Contains("queries"))
        {
            wanted.Add(("big", options.BigMessages));
        }
        if (options.Only.Contains("idle"))
        {
            wanted.Add(("idle", 10));
        }
        long appended = 0;
        double seconds = 0;
        var cpuBefore = target.CpuSeconds();
        foreach (var (account, count) in wanted)
        {
            var (n, s) = await Mail.FillAsync(target, account, count, corpus, options.LoadBatch, options.LoadConnections, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {target.Name}: {account} filled with {n} messages in {s:0.0} s"));
            appended += n;
            seconds += s;
        }
        if (appended >= 1000)
        {
            var cpu = target.CpuSeconds() is double after && cpuBefore is double before ? (after - before) / appended * 1000 : (double?)null;
            report.Add("load-append", "msg/s", true, target.Name, appended / seconds, cpu, $"{appended} corpus messages by {(target.Has("MULTIAPPEND") ? "MULTIAPPEND" : "pipelined APPENDs")} (LITERAL+), {options.LoadBatch} per write, {options.LoadConnections} connections (cpu per 1k messages)");
        }
    }

    /// <summary>The certificate both servers use in the tls workload: <c>--tls-cert/--tls-key</c> (bench/run makes an
    /// ECDSA P-256 pair with openssl and gives Dovecot the same), else a new ECDSA P-256 self-signed one for localhost
    /// in the data directory.</summary>
    private static (string Certificate, string Key) BenchCertificate(CompareOptions options, string data)
    {
        if (options.TlsCertificate is not null && options.TlsKey is not null)
        {
            return (options.TlsCertificate, options.TlsKey);
        }
        var directory = Path.Combine(data, "bench-tls");
        Directory.CreateDirectory(directory);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var paths = (Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    private static string ResultsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Letterbox.slnx")))
            {
                return Path.Combine(dir.FullName, "bench", "results");
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
    }
}
