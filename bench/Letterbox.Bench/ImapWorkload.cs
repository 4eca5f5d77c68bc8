using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Letterbox.Bench;

/// <summary>
/// <c>imap</c>: times SELECT, FETCH 1:* (UID FLAGS), FETCH 1:100 (ENVELOPE BODYSTRUCTURE) and a UID FETCH of ten
/// whole bodies as a raw-socket client over loopback (each once to warm up, then <c>--repeat</c> times), then
/// opens <c>--connections</c> authenticated idle connections and reports the server's resident memory per connection;
/// and the query workload (<see cref="QueryWorkload"/>). <c>--only commands,queries,memory</c> picks parts.
/// </summary>
internal static class ImapWorkload
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.Server is null && options.DataDirectory is null)
        {
            Console.Error.WriteLine("error: imap needs --data DIR (to start letterbox serve) or --server 127.0.0.1:PORT.");
            return 2;
        }
        ServerProcess? server = null;
        try
        {
            if (options.Server is null)
            {
                var dll = ServerProcess.Locate(options.LetterboxPath);
                Console.WriteLine($"starting: dotnet {dll} serve --data {options.DataDirectory}");
                server = await ServerProcess.StartAsync(dll, options.DataDirectory!, cancellationToken);
                Console.WriteLine($"server pid {server.Id} on {server.EndPoint}");
            }
            var endPoint = server?.EndPoint ?? options.Server!;
            if (options.Only.Contains("commands"))
            {
                await MeasureCommandsAsync(endPoint, options, cancellationToken);
            }
            if (options.Only.Contains("queries"))
            {
                await MeasureQueriesAsync(endPoint, options, cancellationToken);
            }
            if (server is not null && options.Connections > 0 && options.Only.Contains("memory"))
            {
                // A fresh process, so the connections cannot hide in heap pages the FETCH workloads left resident.
                await server.DisposeAsync();
                server = null;
                server = await ServerProcess.StartAsync(ServerProcess.Locate(options.LetterboxPath), options.DataDirectory!, cancellationToken);
                Console.WriteLine($"restarted server for the memory measurement: pid {server.Id} on {server.EndPoint}");
                await MeasureIdleConnectionsAsync(server, options, cancellationToken);
            }
            else if (server is null && options.Only.Contains("memory"))
            {
                Console.WriteLine("idle-connection memory: not measured with --server (the server's pid is unknown).");
            }
            Report.PrintTable();
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            if (server is not null)
            {
                Console.Error.WriteLine("last server output:\n" + server.LastOutput());
            }
            return 1;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task MeasureCommandsAsync(System.Net.IPEndPoint endPoint, BenchOptions options, CancellationToken cancellationToken)
    {
        await using var client = await RawImapClient.ConnectAsync(endPoint, cancellationToken);
        await TimedAsync(client, Login(options), cancellationToken);

        // Warm-up pass (JIT, SQLite page cache), which also learns the message count and the UIDs.
        var exists = 0;
        await client.CommandAsync("SELECT INBOX", line => exists = Math.Max(exists, ExistsCount(line)), cancellationToken);
        if (exists == 0)
        {
            throw new InvalidOperationException($"INBOX of {options.User} is empty; run the generate workload first.");
        }
        var uids = new List<uint>(exists);
        await client.CommandAsync("FETCH 1:* (UID FLAGS)", line => AddUid(line, uids), cancellationToken);
        Console.WriteLine($"INBOX: {exists} messages, UIDs {uids[0]}..{uids[^1]}");
        var fetchCount = Math.Min(100, exists);
        var envelopeCommand = $"FETCH 1:{fetchCount} (ENVELOPE BODYSTRUCTURE)";
        var bodyUids = new StringBuilder();
        for (var i = 0; i < 10 && i < uids.Count; i++)
        {
            // Spread over the mailbox (and so over different corpus messages).
            var uid = uids[(int)((long)i * (uids.Count - 1) / 9)];
            bodyUids.Append(i == 0 ? "" : ",").Append(uid.ToString(CultureInfo.InvariantCulture));
        }
        var bodyCommand = $"UID FETCH {bodyUids} BODY.PEEK[]";
        await client.CommandAsync(envelopeCommand, cancellationToken);
        await client.CommandAsync(bodyCommand, cancellationToken);

        var workloads = new (string Name, string Command, string Target, double Limit)[]
        {
            ("select", "SELECT INBOX", "< 50 ms", 50),
            ("fetch-1:*-uid-flags", "FETCH 1:* (UID FLAGS)", "< 300 ms", 300),
            ("fetch-100-envelope-bodystructure", envelopeCommand, "-", double.NaN),
            ("uid-fetch-10-bodies", bodyCommand, "-", double.NaN),
        };
        foreach (var (name, command, target, limit) in workloads)
        {
            var samples = new List<double>(options.Repeat);
            long bytes = 0;
            for (var i = 0; i < options.Repeat; i++)
            {
                var (ms, received) = await TimedAsync(client, command, cancellationToken);
                samples.Add(ms);
                bytes = received;
            }
            var (min, median, max) = Report.Summarize(samples);
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"min {min:0.0} / median {median:0.0} / max {max:0.0} ms over {options.Repeat}; {bytes} bytes; {exists} msgs");
            Report.Add(name, median, "ms", detail, double.IsNaN(limit) ? target : Report.Target(target, median < limit));
        }
        await client.CommandAsync("LOGOUT", cancellationToken);
    }

    /// <summary>The query workload (<see cref="QueryWorkload"/>) on INBOX: each query warm, median of --repeat.</summary>
    private static async Task MeasureQueriesAsync(System.Net.IPEndPoint endPoint, BenchOptions options, CancellationToken cancellationToken)
    {
        RawImapClient? client = null;
        try
        {
            foreach (var query in options.Queries)
            {
                if (client is null)
                {
                    // SEARCH on 100,000 messages answers with a line of up to ~600 KB.
                    client = await RawImapClient.ConnectAsync(endPoint, cancellationToken, bufferSize: 16 << 20);
                    await client.CommandAsync(Login(options), cancellationToken);
                    var exists = 0;
                    await client.CommandAsync("SELECT INBOX", line => exists = Math.Max(exists, ExistsCount(line)), cancellationToken);
                    Console.WriteLine($"queries on INBOX: {exists} messages");
                }
                var outcome = await QueryWorkload.MeasureAsync(client, query.Command, options.Repeat, cancellationToken);
                var detail = query.Command + ": " + QueryWorkload.Describe(outcome, options.Repeat);
                if (outcome.MedianMs is double median)
                {
                    Report.Add("query-" + query.Name, median, "ms", detail,
                        query.TargetMs is double limit ? Report.Target(string.Create(CultureInfo.InvariantCulture, $"< {limit} ms"), median < limit) : "-");
                }
                else
                {
                    Report.AddMissing("query-" + query.Name, "ms", detail);
                }
                if (outcome.TimedOut)
                {
                    await client.DisposeAsync();
                    client = null;
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task MeasureIdleConnectionsAsync(ServerProcess server, BenchOptions options, CancellationToken cancellationToken)
    {
        var settleBound = TimeSpan.FromSeconds(20);
        var login = Login(options);
        // One connection first, so JIT and first-use allocations of the LOGIN path are in the baseline.
        await using (var warmUp = await RawImapClient.ConnectAsync(server.EndPoint, cancellationToken, bufferSize: 4096))
        {
            await warmUp.CommandAsync(login, cancellationToken);
            await warmUp.CommandAsync("LOGOUT", cancellationToken);
        }
        var (before, settledBefore) = await ServerProcess.SettleAsync(server.Id, settleBound, cancellationToken);
        var clients = new RawImapClient?[options.Connections];
        var stopwatch = Stopwatch.StartNew();
        try
        {
            // 16 at a time: connect, greeting, LOGIN — then each connection just stays open.
            var next = -1;
            var workers = new Task[16];
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(async () =>
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < clients.Length)
                    {
                        var client = await RawImapClient.ConnectAsync(server.EndPoint, cancellationToken, bufferSize: 4096);
                        clients[index] = client;
                        await client.CommandAsync(login, cancellationToken);
                    }
                }, cancellationToken);
            }
            await Task.WhenAll(workers);
            var openSeconds = stopwatch.Elapsed.TotalSeconds;
            var (after, settledAfter) = await ServerProcess.SettleAsync(server.Id, settleBound, cancellationToken);
            var perConnection = (after - before) / (double)options.Connections;
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"RSS {before / 1024.0:0.0} -> {after / 1024.0:0.0} MiB for {options.Connections} logged-in connections (opened in {openSeconds:0.0} s){(settledBefore && settledAfter ? "" : "; RSS had not settled")}");
            Report.Add("idle-connection-memory", perConnection, "KiB/conn", detail, Report.Target("< 64 KB", perConnection < 64));
        }
        finally
        {
            foreach (var client in clients)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }

    private static string Login(BenchOptions options) => $"LOGIN {Quote(options.User)} {Quote(options.Password)}";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static async Task<(double Ms, long Bytes)> TimedAsync(RawImapClient client, string command, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var (bytes, _) = await client.CommandAsync(command, cancellationToken);
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, bytes);
    }

    /// <summary>n of "* n EXISTS", else 0.</summary>
    private static int ExistsCount(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("* "u8) || !line.EndsWith(" EXISTS"u8))
        {
            return 0;
        }
        return Utf8Parser.TryParse(line[2..^7], out int n, out var consumed) && consumed == line.Length - 9 ? n : 0;
    }

    /// <summary>Adds the UID of "* n FETCH (UID u FLAGS (...))".</summary>
    private static void AddUid(ReadOnlySpan<byte> line, List<uint> uids)
    {
        var at = line.IndexOf("UID "u8);
        if (at >= 0 && Utf8Parser.TryParse(line[(at + 4)..], out uint uid, out _))
        {
            uids.Add(uid);
        }
    }
}
